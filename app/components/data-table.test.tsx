import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, it } from "vitest";
import { DataTable, type DataTableColumn } from "./data-table";
import { Pagination } from "./pagination";

interface Row {
  id: number;
  name: string;
  members: number;
}

const columns: DataTableColumn<Row>[] = [
  { id: "name", header: "Name", sortable: true, rowHeader: true, cell: (row) => row.name },
  {
    id: "members",
    header: "Members",
    sortable: true,
    firstDirection: "desc",
    numeric: true,
    cell: (row) => row.members,
  },
  { id: "notes", header: "Notes", nowrap: true, cell: () => "–" },
];

const rows: Row[] = [
  { id: 1, name: "Alpha", members: 3 },
  { id: 2, name: "Bravo", members: 5 },
];

/** Renders on the server at a URL, as the page would be before JavaScript. */
function render(url: string, element: () => ReactNode): string {
  const path = new URL(url, "http://localhost").pathname;
  const Stub = createRoutesStub([{ path, Component: () => <>{element()}</> }]);
  return renderToStaticMarkup(<Stub initialEntries={[url]} />);
}

/** The opening tags of an element, e.g. every `<th …>`, as attribute maps (order-free). */
function openingTags(html: string, name: string): Record<string, string>[] {
  return [...html.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, "g"))].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? "").matchAll(/([\w-:]+)="([^"]*)"/g)].map(([, key, value]) => [
        key!.toLowerCase(),
        value!,
      ]),
    ),
  );
}

/** The first opening tag (attribute map) that includes all these attributes. */
function findTag(html: string, name: string, attributes: Record<string, string>) {
  return openingTags(html, name).find((tag) =>
    Object.entries(attributes).every(([key, value]) => tag[key] === value),
  );
}

describe("DataTable", () => {
  it("renders GOV.UK table markup with row headers and numeric cells", () => {
    const html = render("/boards", () => (
      <DataTable caption="Boards" columns={columns} rows={rows} rowKey={(r) => r.id} emptyMessage="None" />
    ));
    expect(html).toContain('<table class="govuk-table govuk-table--small-text-until-tablet app-data-table">');
    expect(
      findTag(html, "section", {
        class: "app-table-scroll",
        "aria-label": "Boards",
        tabindex: "0",
      }),
    ).toBeDefined();
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--m">Boards</caption>');
    expect(html).toContain('<th scope="row" class="govuk-table__header">Alpha</th>');
    expect(html).toContain('<td class="govuk-table__cell govuk-table__cell--numeric">5</td>');
    // Without a sort there are no sort links and no aria-sort.
    expect(html).not.toContain("aria-sort");
    expect(html).not.toContain("<a ");
  });

  it("links sortable headers to the other direction or the column's first one, keeping other parameters", () => {
    const html = render("/boards?q=police&sort=name&dir=asc&page=3", () => (
      <DataTable
        caption="Boards"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ sort: "name", dir: "asc" }}
        emptyMessage="None"
      />
    ));
    expect(findTag(html, "th", { class: "govuk-table__header", "aria-sort": "ascending" })).toBeDefined();
    expect(html).toMatch(
      /aria-sort="ascending"><a [^>]*href="\/boards\?q=police&amp;sort=name&amp;dir=desc"/,
    );
    expect(
      findTag(html, "th", { class: "govuk-table__header govuk-table__header--numeric", "aria-sort": "none" }),
    ).toBeDefined();
    expect(html).toMatch(/aria-sort="none"><a [^>]*href="\/boards\?q=police&amp;sort=members&amp;dir=desc"/);
    // A column the server cannot sort has a plain header.
    expect(html).toContain('<th scope="col" class="govuk-table__header app-nowrap">Notes</th>');
    expect(html).toContain("(sort in descending order)");
  });

  it("marks a descending sort", () => {
    const html = render("/boards?sort=members&dir=desc", () => (
      <DataTable
        caption="Boards"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ sort: "members", dir: "desc" }}
        emptyMessage="None"
      />
    ));
    expect(findTag(html, "th", { "aria-sort": "descending" })).toBeDefined();
    expect(html).toContain('href="/boards?sort=members&amp;dir=asc"');
  });

  it("keeps a nowrap column's cells on one line", () => {
    const html = render("/boards", () => (
      <DataTable caption="Boards" columns={columns} rows={rows} rowKey={(r) => r.id} emptyMessage="None" />
    ));
    expect(
      openingTags(html, "td").filter((tag) => tag.class === "govuk-table__cell app-nowrap"),
    ).toHaveLength(2);
  });

  it("shows the empty message across every column", () => {
    const html = render("/boards", () => (
      <DataTable
        caption="Boards"
        columns={columns}
        rows={[]}
        rowKey={(r) => r.id}
        emptyMessage="No boards yet."
      />
    ));
    expect(findTag(html, "td", { class: "govuk-table__cell", colspan: "3" })).toBeDefined();
    expect(html).toMatch(/colSpan="3">No boards yet\.<\/td>/);
  });

  it("summarises and paginates server-side pages", () => {
    const html = render("/boards?sort=name&dir=asc&page=2", () => (
      <DataTable
        caption="Boards"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ sort: "name", dir: "asc" }}
        emptyMessage="None"
        paging={{ page: 2, pageSize: 2, total: 5, itemsName: "boards" }}
      />
    ));
    expect(html).toContain("Showing <b>3</b> to <b>4</b> of <b>5</b> boards");
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Pagination">');
  });
});

describe("Pagination", () => {
  it("renders nothing for a single page", () => {
    expect(render("/boards", () => <Pagination page={1} pageSize={25} total={10} />)).toBe("");
  });

  it("links previous, numbered and next pages with ?page=, marking the current one", () => {
    const html = render("/boards?sort=name&page=2", () => <Pagination page={2} pageSize={10} total={95} />);
    expect(findTag(html, "a", { href: "/boards?sort=name&amp;page=1", rel: "prev" })).toBeDefined();
    expect(findTag(html, "a", { href: "/boards?sort=name&amp;page=3", rel: "next" })).toBeDefined();
    expect(
      findTag(html, "a", {
        href: "/boards?sort=name&amp;page=2",
        "aria-label": "Page 2",
        "aria-current": "page",
      }),
    ).toBeDefined();
    expect(html).toMatch(
      /<li class="govuk-pagination__item govuk-pagination__item--current"><a [^>]*>2<\/a><\/li>/,
    );
    expect(html).toContain('aria-label="Page 10"');
    expect(html).not.toContain('aria-label="Page 5"');
    expect(html).toContain("govuk-pagination__item--ellipsis");
  });

  it("has no previous link on the first page and no next link on the last", () => {
    const first = render("/boards", () => <Pagination page={1} pageSize={10} total={30} />);
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('rel="next"');
    const last = render("/boards?page=3", () => <Pagination page={3} pageSize={10} total={30} />);
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
  });
});
