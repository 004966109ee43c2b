import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

/*
 * The benchmark's table in docs/performance.md, from a run's results. `npm run bench` calls
 * writeTable at its end; `tsx bench/report.ts` writes it again from bench/results/latest.json
 * (after a change to the table's shape, without another hour of measuring).
 */

export interface Measure {
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  errors: number;
}

export interface BenchReport {
  at: string;
  machine: {
    cpus: number;
    cpu: string;
    memoryGiB: number;
    node: string;
    loadAverage: number[];
    loadAverageBefore: number[];
    postgres: string;
  };
  meetings: number;
  generateSeconds: number;
  secondsPerMeasure: number;
  results: {
    page: string;
    list: boolean;
    queries: number;
    byLevel: { connections: number; app: Measure; sqlFloor: Measure; httpFloor: Measure }[];
  }[];
  /** Pages measured again later by a run of some pages only (BENCH_PAGES). */
  remeasured?: { at: string; pages: string[]; loadAverageBefore: number[] }[];
}

/** The last full run with the pages of a partial run replaced by their new figures. */
export function mergeIntoLatest(partial: BenchReport): BenchReport {
  let latest: BenchReport;
  try {
    latest = JSON.parse(readFileSync("bench/results/latest.json", "utf8")) as BenchReport;
  } catch {
    return partial;
  }
  const fresh = new Map(partial.results.map((r) => [r.page, r]));
  return {
    ...latest,
    results: [
      ...latest.results.map((r) => fresh.get(r.page) ?? r),
      ...partial.results.filter((r) => !latest.results.some((l) => l.page === r.page)),
    ],
    remeasured: [
      ...(latest.remeasured ?? []),
      { at: partial.at, pages: [...fresh.keys()], loadAverageBefore: partial.machine.loadAverageBefore },
    ],
  };
}

/** How many times the page's p50 is its SQL's alone: the target is at most 1.5 at one connection. */
function ratio(page: number, sql: number): string {
  return Number.isFinite(page) && sql > 0 ? `${(page / sql).toFixed(2)}×` : "–";
}

export async function writeTable(report: BenchReport) {
  const m = report.machine;
  const lines = [
    "<!-- bench:start (written by npm run bench) -->",
    `Measured ${report.at.slice(0, 16).replace("T", " ")} UTC on ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ` +
      `PostgreSQL ${m.postgres}; ${report.meetings.toLocaleString("en-GB")} meetings generated in ${report.generateSeconds} s; ` +
      `${report.secondsPerMeasure} s per measurement. Load average before: ${m.loadAverageBefore.join(", ")}; after: ${m.loadAverage.join(", ")} ` +
      "(the machine is shared: figures under load are lower than on a quiet one).",
    ...(report.remeasured ?? []).map(
      (r) =>
        `Measured again ${r.at.slice(0, 16).replace("T", " ")} UTC (load average ${r.loadAverageBefore.join(", ")}): ${r.pages.join(", ")}.`,
    ),
    "",
    "| page | conn | req/s | p50 ms | p95 ms | p99 ms | SQL floor req/s | SQL floor p50 ms | p50 ÷ SQL p50 | http floor req/s | queries |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of report.results) {
    for (const l of r.byLevel) {
      lines.push(
        `| ${r.page}${r.list ? " (list)" : ""} | ${l.connections} | ${l.app.reqPerSec} | ${l.app.p50} | ${l.app.p95} | ${l.app.p99} | ` +
          `${l.sqlFloor.reqPerSec} | ${l.sqlFloor.p50} | ${ratio(l.app.p50, l.sqlFloor.p50)} | ${l.httpFloor.reqPerSec} | ${r.queries} |`,
      );
    }
  }
  lines.push("<!-- bench:end -->");
  const file = "docs/performance.md";
  const text = await readFile(file, "utf8");
  const start = text.indexOf("<!-- bench:start");
  const end = text.indexOf("<!-- bench:end -->");
  const block = lines.join("\n");
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + "<!-- bench:end -->".length)}`
      : `${text.trimEnd()}\n\n## Pages under load\n\n${block}\n`;
  writeFileSync(file, next);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = JSON.parse(readFileSync("bench/results/latest.json", "utf8")) as BenchReport;
  await writeTable(report);
  console.log("docs/performance.md: the table written again from bench/results/latest.json");
}
