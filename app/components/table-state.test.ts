import { describe, expect, it } from "vitest";
import {
  offsetOf,
  pageCount,
  pageQuery,
  pageWindow,
  parseTableState,
  queryWith,
  sortQuery,
  type TableStateOptions,
} from "./table-state";

type Column = "name" | "members" | "next-meeting";

const options: TableStateOptions<Column> = {
  sortable: ["name", "members", "next-meeting"],
  defaultSort: "name",
  firstDirection: { members: "desc" },
  defaultPageSize: 20,
  maxPageSize: 50,
};

const parse = (query: string) => parseTableState(new URLSearchParams(query), options);

describe("parseTableState", () => {
  it("gives the defaults for an empty query", () => {
    expect(parse("")).toEqual({ sort: "name", dir: "asc", page: 1, pageSize: 20 });
  });

  it("reads a whitelisted sort, a direction, a page and a page size", () => {
    expect(parse("sort=next-meeting&dir=desc&page=3&pageSize=10")).toEqual({
      sort: "next-meeting",
      dir: "desc",
      page: 3,
      pageSize: 10,
    });
  });

  it("uses a column's first direction when none is given", () => {
    expect(parse("sort=members")).toMatchObject({ sort: "members", dir: "desc" });
  });

  it("falls back to the default sort for a column that is not sortable", () => {
    expect(parse("sort=salary&dir=desc")).toMatchObject({ sort: "name", dir: "asc" });
    expect(parse("sort=name;drop table boards")).toMatchObject({ sort: "name", dir: "asc" });
    expect(parse("sort=__proto__")).toMatchObject({ sort: "name", dir: "asc" });
  });

  it("ignores a direction that is not asc or desc", () => {
    expect(parse("sort=name&dir=sideways")).toMatchObject({ dir: "asc" });
    expect(parse("sort=name&dir=DESC")).toMatchObject({ dir: "asc" });
  });

  it("ignores a page that is not a positive whole number", () => {
    for (const page of ["0", "-1", "1.5", "abc", "", "1e3", "99999999999"]) {
      expect(parse(`page=${page}`).page).toBe(1);
    }
  });

  it("keeps the page size within bounds", () => {
    expect(parse("pageSize=500").pageSize).toBe(20);
    expect(parse("pageSize=0").pageSize).toBe(20);
    expect(parse("pageSize=50").pageSize).toBe(50);
  });
});

describe("links", () => {
  it("changes parameters and keeps the others", () => {
    expect(queryWith("?q=police&page=2", { page: 3 })).toBe("?q=police&page=3");
    expect(queryWith("?q=police&page=2", { page: null })).toBe("?q=police");
    expect(queryWith("", { page: null })).toBe("");
  });

  it("sorts a new column in its first direction, back on page 1", () => {
    const current = { sort: "name", dir: "asc" } as const;
    expect(sortQuery("?q=x&sort=name&dir=asc&page=4", "members", current, "desc")).toBe(
      "?q=x&sort=members&dir=desc",
    );
  });

  it("reverses the current column", () => {
    expect(sortQuery("?sort=name&dir=asc", "name", { sort: "name", dir: "asc" })).toBe("?sort=name&dir=desc");
    expect(sortQuery("?sort=name&dir=desc", "name", { sort: "name", dir: "desc" })).toBe(
      "?sort=name&dir=asc",
    );
  });

  it("links to a page, keeping the sort", () => {
    expect(pageQuery("?sort=members&dir=desc", 2)).toBe("?sort=members&dir=desc&page=2");
  });
});

describe("paging arithmetic", () => {
  it("counts pages and offsets", () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(offsetOf({ page: 3, pageSize: 25 })).toBe(50);
  });

  it("shows the first, last, current and neighbouring pages with gaps", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(10, 40)).toEqual([1, null, 9, 10, 11, null, 40]);
    expect(pageWindow(1, 40)).toEqual([1, 2, null, 40]);
    expect(pageWindow(40, 40)).toEqual([1, null, 39, 40]);
    // A gap of exactly one page shows that page rather than an ellipsis.
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
