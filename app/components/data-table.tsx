import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { type ReactNode, useMemo } from "react";
import { Link, useLocation } from "react-router";
import { Pagination } from "./pagination";
import { type SortDirection, sortQuery } from "./table-state";

/*
 * The one table every list uses: GOV.UK table markup on @tanstack/react-table, with sorting
 * and paging done by the server. The URL holds the state (?sort=&dir=&page=, parsed by
 * table-state.ts in the loader), so column headers and page numbers are plain links that
 * work before JavaScript loads; the table only renders the rows it is given.
 */

export interface DataTableColumn<T> {
  /** Unique within the table; for a sortable column, its ?sort= value. */
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The server can sort by this column. */
  sortable?: boolean;
  /** The direction this column sorts in when first chosen (default "asc"). */
  firstDirection?: SortDirection;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** This column names the row: its cells are row headers. */
  rowHeader?: boolean;
  /** Keep the cell on one line (dates such as "14 December 2026"). */
  nowrap?: boolean;
}

export interface DataTablePaging {
  page: number;
  pageSize: number;
  total: number;
}

export interface DataTableProps<T> {
  caption: string;
  /** GOV.UK caption size; "hidden" keeps it for screen readers only (a heading already says it). */
  captionSize?: "s" | "m" | "l" | "hidden";
  columns: readonly DataTableColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  /** What the rows are sorted by, when the table is sortable. */
  sort?: { sort: string; dir: SortDirection };
  /** Shown in place of rows when there are none. */
  emptyMessage: string;
  /** Server-side paging: shows "Showing 1 to 25 of 60 boards" and GOV.UK pagination. */
  paging?: DataTablePaging & { itemsName: string };
}

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

export function DataTable<T>({
  caption,
  captionSize = "m",
  columns,
  rows,
  rowKey,
  sort,
  emptyMessage,
  paging,
}: DataTableProps<T>) {
  const location = useLocation();
  const byId = useMemo(() => new Map(columns.map((column) => [column.id, column])), [columns]);
  const columnDefs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((column) => ({
        id: column.id,
        header: column.header,
        cell: ({ row }) => column.cell(row.original),
        enableSorting: column.sortable === true,
      })),
    [columns],
  );
  const data = useMemo(() => [...rows], [rows]);
  const sorting: SortingState = sort ? [{ id: sort.sort, desc: sort.dir === "desc" }] : [];

  const table = useReactTable({
    data,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => String(rowKey(row)),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    rowCount: paging?.total ?? rows.length,
    state: { sorting },
  });

  const cellClass = (column: DataTableColumn<T> | undefined, base: string) =>
    [base, column?.numeric && `${base}--numeric`, column?.nowrap && "app-nowrap"].filter(Boolean).join(" ");

  const captionClass =
    captionSize === "hidden"
      ? "govuk-table__caption govuk-visually-hidden"
      : `govuk-table__caption govuk-table__caption--${captionSize}`;

  return (
    <>
      {paging && paging.total > 0 && <PagingSummary {...paging} shown={rows.length} />}
      {/* A wide table scrolls sideways on a small screen, inside this focusable region. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
      <section className="app-table-scroll" aria-label={caption} tabIndex={0}>
        <table className="govuk-table govuk-table--small-text-until-tablet app-data-table">
          <caption className={captionClass}>{caption}</caption>
          <thead className="govuk-table__head">
            {table.getHeaderGroups().map((group) => (
              <tr className="govuk-table__row" key={group.id}>
                {group.headers.map((header) => {
                  const column = byId.get(header.column.id);
                  // Sorting is the server's (manualSorting): the column spec says what it can sort.
                  const sortable = column?.sortable === true && sort !== undefined;
                  const sorted = header.column.getIsSorted();
                  const className = cellClass(column, "govuk-table__header");
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={className}
                      aria-sort={sortable ? (sorted ? ARIA_SORT[sorted] : "none") : undefined}
                    >
                      {sortable && sort ? (
                        <SortLink
                          to={`${location.pathname}${sortQuery(location.search, header.column.id, sort, column?.firstDirection)}`}
                          sorted={sorted || undefined}
                          next={
                            sorted ? (sorted === "asc" ? "desc" : "asc") : (column?.firstDirection ?? "asc")
                          }
                        >
                          {label}
                        </SortLink>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="govuk-table__body">
            {rows.length === 0 ? (
              <tr className="govuk-table__row">
                <td className="govuk-table__cell" colSpan={columns.length}>
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr className="govuk-table__row" key={row.id}>
                  {row.getVisibleCells().map((cell) => {
                    const column = byId.get(cell.column.id);
                    const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                    if (column?.rowHeader) {
                      return (
                        <th key={cell.id} scope="row" className={cellClass(column, "govuk-table__header")}>
                          {content}
                        </th>
                      );
                    }
                    return (
                      <td key={cell.id} className={cellClass(column, "govuk-table__cell")}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
      {paging && <Pagination page={paging.page} pageSize={paging.pageSize} total={paging.total} />}
    </>
  );
}

function SortLink({
  to,
  sorted,
  next,
  children,
}: {
  to: string;
  sorted: SortDirection | undefined;
  next: SortDirection;
  children: ReactNode;
}) {
  return (
    <Link to={to} className="govuk-link app-sort-link" preventScrollReset>
      {children}
      <span className="govuk-visually-hidden">
        {next === "asc" ? " (sort in ascending order)" : " (sort in descending order)"}
      </span>
      <SortIcon sorted={sorted} />
    </Link>
  );
}

function SortIcon({ sorted }: { sorted: SortDirection | undefined }) {
  // Up and down triangles; the active half is solid. Decorative: aria-sort says the state.
  return (
    <svg
      className="app-sort-link__icon"
      xmlns="http://www.w3.org/2000/svg"
      width="10"
      height="14"
      viewBox="0 0 10 14"
      aria-hidden="true"
      focusable="false"
    >
      {sorted !== "desc" && (
        <path d="M5 0 10 6H0z" className={sorted === "asc" ? undefined : "app-sort-link__faint"} />
      )}
      {sorted !== "asc" && (
        <path d="M5 14 0 8h10z" className={sorted === "desc" ? undefined : "app-sort-link__faint"} />
      )}
    </svg>
  );
}

function PagingSummary({
  page,
  pageSize,
  total,
  shown,
  itemsName,
}: DataTablePaging & { shown: number; itemsName: string }) {
  const first = (page - 1) * pageSize + 1;
  const last = first + shown - 1;
  if (shown === 0) return null;
  return (
    <p className="govuk-body app-paging-summary">
      Showing <b>{first.toLocaleString("en-GB")}</b> to <b>{last.toLocaleString("en-GB")}</b> of{" "}
      <b>{total.toLocaleString("en-GB")}</b> {itemsName}
    </p>
  );
}
