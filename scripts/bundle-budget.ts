import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/*
 * The front-end budget (`npm run check:bundle`, after `npm run build`): each route's
 * JavaScript — its module and everything it imports, statically or dynamically, as the
 * React Router manifest lists them — gzipped, must stay within 150 KB.
 *
 * The page total is reported beside it: that adds the client entry (React DOM, 67 KB, the
 * same on every page and loaded once) and the root route (the layout, GOV.UK Frontend's
 * script). It is what a first visit downloads; later navigations fetch only route chunks.
 */

export const BUDGET_BYTES = 150 * 1024;

interface ManifestRoute {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
  hasDefaultExport?: boolean;
}
interface Manifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
}

export interface RouteWeight {
  route: string;
  files: number;
  /** The route's own module and imports (the budgeted figure). */
  gzipBytes: number;
  /** With the client entry and the root route: a first visit's whole download. */
  pageGzipBytes: number;
}

function readManifest(clientDir: string): Manifest {
  const assets = path.join(clientDir, "assets");
  const file = readdirSync(assets).find((f) => /^manifest-[\w-]+\.js$/.test(f));
  if (!file) throw new Error(`No React Router manifest in ${assets}: run \`npm run build\` first.`);
  const text = readFileSync(path.join(assets, file), "utf8");
  return JSON.parse(text.replace(/^window\.__reactRouterManifest=/, "").replace(/;\s*$/, "")) as Manifest;
}

/** Gzipped size of each page's JavaScript, heaviest first. Resource routes (no page) are left out. */
export function routeWeights(clientDir = path.resolve("build/client")): RouteWeight[] {
  const manifest = readManifest(clientDir);
  const sizes = new Map<string, number>();
  const gzipped = (url: string) => {
    let size = sizes.get(url);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(clientDir, url)), { level: 9 }).length;
      sizes.set(url, size);
    }
    return size;
  };
  /** The file and, transitively, the chunks it imports statically or dynamically. */
  const closure = (url: string, into: Set<string>) => {
    if (into.has(url)) return;
    into.add(url);
    const text = readFileSync(path.join(clientDir, url), "utf8");
    for (const match of text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      closure(path.posix.join(path.posix.dirname(url), match[1]!), into);
    }
  };
  const weights: RouteWeight[] = [];
  for (const route of Object.values(manifest.routes)) {
    if (!route.hasDefaultExport || route.id === "root") continue;
    const own = new Set<string>();
    for (const url of [route.module, ...(route.imports ?? [])]) closure(url, own);
    const page = new Set(own);
    for (const url of [manifest.entry.module, ...manifest.entry.imports]) closure(url, page);
    for (
      let r = route.parentId ? manifest.routes[route.parentId] : undefined;
      r;
      r = r.parentId ? manifest.routes[r.parentId] : undefined
    ) {
      for (const url of [r.module, ...(r.imports ?? [])]) closure(url, page);
    }
    const total = (files: Set<string>) => [...files].reduce((sum, url) => sum + gzipped(url), 0);
    weights.push({
      route: route.id.replace(/^routes\//, ""),
      files: own.size,
      gzipBytes: total(own),
      pageGzipBytes: total(page),
    });
  }
  return weights.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const weights = routeWeights();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const w of weights) {
    const flag = w.gzipBytes > BUDGET_BYTES ? "  OVER BUDGET" : "";
    console.log(
      `${kb(w.gzipBytes).padStart(9)}  ${String(w.files).padStart(3)} files  (page ${kb(w.pageGzipBytes).padStart(9)})  ${w.route}${flag}`,
    );
  }
  const over = weights.filter((w) => w.gzipBytes > BUDGET_BYTES);
  console.log(`\n${weights.length} pages; budget ${kb(BUDGET_BYTES)} gzipped; ${over.length} over.`);
  process.exitCode = over.length > 0 ? 1 : 0;
}
