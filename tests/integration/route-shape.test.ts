import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * With flat routes, "boards.$boardId.meetings.new.tsx" is a CHILD of "boards.$boardId.tsx",
 * and shows only if the parent renders <Outlet />. A page that is meant to stand alone must
 * opt out with a trailing underscore ("boards.$boardId_.meetings.new.tsx"). This catches a
 * page that would silently render its parent instead of itself.
 */

const ROUTES = path.resolve("app/routes");

describe("route files", () => {
  it("nest only under parents that render an Outlet", () => {
    const files = readdirSync(ROUTES).filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f));
    const names = new Map(files.map((f) => [f.replace(/\.tsx?$/, ""), f]));
    const problems: string[] = [];
    for (const name of names.keys()) {
      const segments = name.split(".");
      for (let i = 1; i < segments.length; i++) {
        const parent = segments.slice(0, i).join(".");
        const parentFile = names.get(parent);
        if (!parentFile) continue;
        const source = readFileSync(path.join(ROUTES, parentFile), "utf8");
        if (!source.includes("<Outlet"))
          problems.push(`${name} would render inside ${parent}, which has no <Outlet />`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("export loaders and actions by name, which the client build can strip", () => {
    // `export const { loader, action } = …` typechecks and runs in tests, but the production
    // build refuses it ("Cannot remove destructured export").
    const destructured = readdirSync(ROUTES)
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f))
      .filter((f) => /export\s+(const|let)\s*\{/.test(readFileSync(path.join(ROUTES, f), "utf8")));
    expect(destructured).toEqual([]);
  });
});
