/*
 * A list's table state lives in the URL: ?sort=<column>&dir=asc|desc&page=<n>&pageSize=<n>.
 * Loaders parse it here against the columns that may be sorted (anything else falls back
 * to the default, so a hand-edited URL can never reach the SQL), and the table's header
 * links and the pagination build their links here, keeping every other parameter.
 */

export type SortDirection = "asc" | "desc";

export interface TableState<S extends string = string> {
  sort: S;
  dir: SortDirection;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface TableStateOptions<S extends string> {
  /** The columns that may be sorted, as they appear in ?sort=. */
  sortable: readonly S[];
  defaultSort: S;
  /** The direction a column sorts in first (default "asc"). */
  firstDirection?: Partial<Record<S, SortDirection>>;
  defaultPageSize?: number;
  maxPageSize?: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** Beyond this a page number is not a real request. */
const MAX_PAGE = 100_000;

function positiveInteger(value: string | null, max: number): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= max ? n : undefined;
}

function isDirection(value: string | null): value is SortDirection {
  return value === "asc" || value === "desc";
}

export function parseTableState<S extends string>(
  params: URLSearchParams,
  options: TableStateOptions<S>,
): TableState<S> {
  const requested = params.get("sort");
  const known = options.sortable.find((column) => column === requested);
  const sort = known ?? options.defaultSort;
  const dirParam = params.get("dir");
  const dir = known && isDirection(dirParam) ? dirParam : (options.firstDirection?.[sort] ?? "asc");
  const maxPageSize = options.maxPageSize ?? MAX_PAGE_SIZE;
  const defaultPageSize = Math.min(options.defaultPageSize ?? DEFAULT_PAGE_SIZE, maxPageSize);
  return {
    sort,
    dir,
    page: positiveInteger(params.get("page"), MAX_PAGE) ?? 1,
    pageSize: positiveInteger(params.get("pageSize"), maxPageSize) ?? defaultPageSize,
  };
}

/** The query string ("?…", or "" when none is left) of `search` with `changes` applied; null removes. */
export function queryWith(
  search: string | URLSearchParams,
  changes: Record<string, string | number | null | undefined>,
): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined) params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/**
 * The query a column header links to: sorted by that column, in the other direction if it
 * is the current sort, else in the column's first direction; back to the first page.
 */
export function sortQuery(
  search: string | URLSearchParams,
  column: string,
  current: { sort: string; dir: SortDirection },
  firstDirection: SortDirection = "asc",
): string {
  const dir = current.sort === column ? (current.dir === "asc" ? "desc" : "asc") : firstDirection;
  return queryWith(search, { sort: column, dir, page: null });
}

/** The query a pagination link goes to. */
export function pageQuery(search: string | URLSearchParams, page: number): string {
  return queryWith(search, { page });
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function offsetOf(state: Pick<TableState, "page" | "pageSize">): number {
  return (state.page - 1) * state.pageSize;
}

/**
 * The page numbers GOV.UK pagination shows: the first, the last, the current one and its
 * neighbours, with "…" (null) for each gap of more than one page.
 */
export function pageWindow(current: number, count: number): (number | null)[] {
  const wanted = new Set([1, count, current - 1, current, current + 1].filter((n) => n >= 1 && n <= count));
  const pages = [...wanted].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  let previous = 0;
  for (const page of pages) {
    if (page - previous === 2) items.push(previous + 1);
    else if (page - previous > 2) items.push(null);
    items.push(page);
    previous = page;
  }
  return items;
}
