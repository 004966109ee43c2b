import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import {
  ACTION_TABLE,
  type ActionList,
  type ActionListItem,
  actionFilterOptions,
  actionFiltersFrom,
  listActions,
} from "~/actions/actions.server";
import {
  ACTION_STATUS_COLOURS,
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  RAG_COLOURS,
  RAG_LABELS,
} from "~/actions/labels";
import { ACTION_RAGS } from "~/actions/rag";
import { ACTION_FILTER_FIELDS, actionFilterSchema } from "~/actions/schemas";
import { requireViewer } from "~/auth/viewer.server";
import { CheckboxesField, SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, TextField } from "~/components/forms";
import { pageCount, pageQuery, parseTableState } from "~/components/table-state";
import { Tag } from "~/components/tag";
import { formatDate } from "~/format";
import type { Route } from "./+types/actions._index";

/*
 * /actions: the action log of every board the viewer can see, and a partner's or member's
 * view of their agency's actions across all boards. Filters (a GET form), sorting and the
 * page live in the URL, so a view can be bookmarked and shared:
 *   /actions?board=<id>     a board's action log
 *   /actions?agency=<id>    an agency's actions, as lead or supporting agency
 *   /actions?owner=me       the viewer's own actions
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data?.boardName ? `${data.boardName} action log – Boardledger` : "Actions – Boardledger" },
];

type FilterField = (typeof ACTION_FILTER_FIELDS)[number];

/** The filter's part of a query string (no sort or page), with `drop` taken out. */
function filterParams(
  params: URLSearchParams,
  drop?: { name: FilterField; value?: string },
): URLSearchParams {
  const kept = new URLSearchParams();
  for (const name of ACTION_FILTER_FIELDS) {
    for (const raw of params.getAll(name)) {
      const value = raw.trim();
      if (!value) continue;
      if (drop?.name === name && (drop.value === undefined || drop.value === value)) continue;
      kept.append(name, value);
    }
  }
  return kept;
}

function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

interface SelectedGroup {
  heading: string;
  tags: { label: string; href: string }[];
}

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const url = new URL(request.url);
  const params = url.searchParams;
  const state = parseTableState(params, ACTION_TABLE);
  const submission = parseWithZod(params, { schema: actionFilterSchema });
  const options = await actionFilterOptions(viewer);

  const filterValues = {
    q: params.get("q") ?? "",
    board: params.get("board") ?? "",
    agency: params.get("agency") ?? "",
    owner: params.get("owner") ?? "",
    status: params.getAll("status"),
    rag: params.getAll("rag"),
    dueFrom: params.get("dueFrom") ?? "",
    dueTo: params.get("dueTo") ?? "",
  };

  // The views along the top: everything, the viewer's agency (or agencies), their own.
  const myAgencyIds = [
    ...new Set([...viewer.roles.partnerFor, ...(viewer.agencyId === null ? [] : [viewer.agencyId])]),
  ];
  const agencyName = (id: number) => options.agencies.find((a) => a.id === id)?.name;
  const current = filterParams(params).toString();
  const view = (label: string, query: string) => ({
    label,
    href: query ? `/actions?${query}` : "/actions",
    current: current === query,
  });
  const views = [
    view("All actions you can see", ""),
    ...myAgencyIds.map((id) =>
      view(
        myAgencyIds.length === 1 ? "My agency’s actions" : `${agencyName(id) ?? "Agency"} actions`,
        `agency=${id}`,
      ),
    ),
    ...(viewer.personId === null ? [] : [view("My actions", "owner=me")]),
  ];

  const base = {
    state,
    filterValues,
    options,
    views,
    canChooseMe: viewer.personId !== null,
  };

  if (submission.status !== "success") {
    const list: ActionList = { rows: [], total: 0, page: 1, pageSize: state.pageSize, today: "" };
    return data(
      { ...base, list, filterResult: submission.reply(), selected: [], exportHref: null, boardName: null },
      { status: 400 },
    );
  }

  const filters = actionFiltersFrom(submission.value);
  const list = await listActions(viewer, filters, state);
  if (list.rows.length === 0 && state.page > 1 && list.total > 0) {
    throw redirect(`${url.pathname}${pageQuery(url.search, pageCount(list.total, state.pageSize))}`);
  }

  // The MOJ filter's "selected filters": one removable tag per value.
  const removeHref = (name: FilterField, value?: string) => {
    const kept = filterParams(params, { name, value });
    kept.set("sort", state.sort);
    kept.set("dir", state.dir);
    return withQuery("/actions", kept);
  };
  const nameOf = (list: { id: number; name: string }[], id: number | undefined) =>
    list.find((o) => o.id === id)?.name ?? `Number ${id}`;
  const selected: SelectedGroup[] = [];
  const single = (heading: string, name: FilterField, label: string) =>
    selected.push({ heading, tags: [{ label, href: removeHref(name) }] });
  if (filters.q) single("Title or reference", "q", `“${filters.q}”`);
  if (filters.board !== undefined) single("Board", "board", nameOf(options.boards, filters.board));
  if (filters.agency !== undefined) single("Agency", "agency", nameOf(options.agencies, filters.agency));
  if (filters.owner !== undefined)
    single("Owner", "owner", filters.owner === "me" ? "Me" : nameOf(options.owners, filters.owner));
  for (const name of ["status", "rag"] as const) {
    const values = name === "status" ? filters.status : filters.rag;
    if (!values?.length) continue;
    selected.push({
      heading: name === "status" ? "Status" : "RAG",
      tags: values.map((value) => ({
        label:
          name === "status"
            ? ACTION_STATUS_LABELS[value as keyof typeof ACTION_STATUS_LABELS]
            : RAG_LABELS[value as keyof typeof RAG_LABELS],
        href: removeHref(name, value),
      })),
    });
  }
  if (filters.dueFrom) single("Due from", "dueFrom", formatDate(filters.dueFrom));
  if (filters.dueTo) single("Due to", "dueTo", formatDate(filters.dueTo));

  const exportParams = filterParams(params);
  exportParams.set("sort", state.sort);
  exportParams.set("dir", state.dir);

  return data({
    ...base,
    list,
    filterResult: undefined,
    selected,
    exportHref: withQuery("/actions.csv", exportParams),
    boardName:
      filters.board === undefined ? null : (options.boards.find((b) => b.id === filters.board)?.name ?? null),
  });
}

function excerpt(text: string, length = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

const columns: DataTableColumn<ActionListItem>[] = [
  { id: "ref", header: "Ref", sortable: true, nowrap: true, cell: (action) => action.ref },
  {
    id: "title",
    header: "Action",
    sortable: true,
    rowHeader: true,
    cell: (action) => (
      <>
        <Link to={`/actions/${action.id}`} className="govuk-link">
          {action.title}
        </Link>
        {action.restricted ? (
          <>
            <br />
            <span className="govuk-body-s app-secondary-text">OFFICIAL-SENSITIVE</span>
          </>
        ) : null}
      </>
    ),
  },
  { id: "board", header: "Board", sortable: true, cell: (action) => action.board.name },
  {
    id: "agency",
    header: "Owner agency",
    sortable: true,
    cell: (action) => (
      <>
        {action.ownerAgency.shortName}
        {action.supportingAgencies.length > 0 ? (
          <>
            <br />
            <span className="govuk-body-s app-secondary-text">
              Supported by {action.supportingAgencies.map((agency) => agency.shortName).join(", ")}
            </span>
          </>
        ) : null}
      </>
    ),
  },
  {
    id: "owner",
    header: "Owner",
    sortable: true,
    cell: (action) => action.ownerPerson?.name ?? "No one named",
  },
  { id: "due", header: "Due", sortable: true, cell: (action) => formatDate(action.dueDate) },
  {
    id: "status",
    header: "Status",
    sortable: true,
    cell: (action) => (
      <Tag colour={ACTION_STATUS_COLOURS[action.status]}>{ACTION_STATUS_LABELS[action.status]}</Tag>
    ),
  },
  {
    id: "rag",
    header: "RAG",
    sortable: true,
    cell: (action) => <Tag colour={RAG_COLOURS[action.rag]}>{RAG_LABELS[action.rag]}</Tag>,
  },
  {
    id: "updated",
    header: "Latest update",
    sortable: true,
    firstDirection: "desc",
    cell: (action) =>
      action.latestUpdate ? (
        <>
          {formatDate(action.latestUpdate.at)}
          <br />
          <span className="govuk-body-s">{excerpt(action.latestUpdate.body, 80)}</span>
        </>
      ) : action.restricted ? (
        "Not shown"
      ) : (
        "None yet"
      ),
  },
];

export default function Actions(props: Route.ComponentProps) {
  // A new query (a removed filter tag, a view) starts the filter form afresh from the URL.
  const location = useLocation();
  return <ActionsPage key={location.search} {...props} />;
}

function ActionsPage({ loaderData }: Route.ComponentProps) {
  const {
    list,
    state,
    filterValues,
    filterResult,
    options,
    views,
    selected,
    exportHref,
    boardName,
    canChooseMe,
  } = loaderData;
  const [form, fields] = useForm<z.input<typeof actionFilterSchema>>({
    id: "filter",
    lastResult: filterResult,
    defaultValue: filterValues,
    constraint: getZodConstraint(actionFilterSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: actionFilterSchema }),
    shouldValidate: "onSubmit",
  });
  const filtered = selected.length > 0;

  return (
    <>
      <ErrorSummary
        form={form}
        fields={[
          fields.q,
          fields.board,
          fields.agency,
          fields.owner,
          fields.status,
          fields.rag,
          fields.dueFrom,
          fields.dueTo,
        ]}
      />
      {boardName ? (
        <>
          <span className="govuk-caption-l">{boardName}</span>
          <h1 className="govuk-heading-l">Action log</h1>
        </>
      ) : (
        <h1 className="govuk-heading-l">Actions</h1>
      )}

      {views.length > 1 ? (
        <nav className="moj-sub-navigation" aria-label="Views of the actions">
          <ul className="moj-sub-navigation__list">
            {views.map((view) => (
              <li className="moj-sub-navigation__item" key={view.href}>
                <Link
                  className="moj-sub-navigation__link"
                  to={view.href}
                  aria-current={view.current ? "page" : undefined}
                >
                  {view.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {/* The MOJ filter, above the table rather than beside it, so the table has the page's width. */}
      <Form
        method="get"
        action="/actions"
        {...getFormProps(form)}
        className="moj-filter govuk-!-margin-bottom-6"
      >
        <input type="hidden" name="sort" value={state.sort} />
        <input type="hidden" name="dir" value={state.dir} />
        <input type="hidden" name="pageSize" value={state.pageSize} />
        <div className="moj-filter__header">
          <div className="moj-filter__header-title">
            <h2 className="govuk-heading-m">Filter</h2>
          </div>
          <div className="moj-filter__header-action" />
        </div>
        <div className="moj-filter__content">
          {filtered ? (
            <div className="moj-filter__selected">
              <div className="moj-filter__selected-heading">
                <div className="moj-filter__heading-title">
                  <h2 className="govuk-heading-m">Selected filters</h2>
                </div>
                <div className="moj-filter__heading-action">
                  <p>
                    <Link className="govuk-link govuk-link--no-visited-state" to="/actions">
                      Clear filters
                    </Link>
                  </p>
                </div>
              </div>
              <div className="govuk-grid-row">
                {selected.map((group) => (
                  <div className="govuk-grid-column-one-quarter" key={group.heading}>
                    <h3 className="govuk-heading-s govuk-!-margin-bottom-0">{group.heading}</h3>
                    <ul className="moj-filter-tags">
                      {group.tags.map((tag) => (
                        <li key={tag.href}>
                          <Link className="moj-filter__tag" to={tag.href}>
                            <span className="govuk-visually-hidden">Remove this filter:</span> {tag.label}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            </div>
          ) : null}
          <div className="moj-filter__options">
            <div className="govuk-grid-row govuk-!-margin-bottom-4">
              <div className="govuk-grid-column-one-third">
                <TextField
                  field={fields.q}
                  label="Title or reference"
                  hint="For example ACT-42"
                  spellCheck={false}
                />
              </div>
              <div className="govuk-grid-column-one-third">
                <SelectField
                  field={fields.board}
                  label="Board"
                  hint="Its action log"
                  placeholder="Any board"
                  options={options.boards.map((b) => ({ value: String(b.id), label: b.name }))}
                />
              </div>
              <div className="govuk-grid-column-one-third">
                <SelectField
                  field={fields.agency}
                  label="Agency"
                  hint="Leading or supporting"
                  placeholder="Any agency"
                  options={options.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
                />
              </div>
            </div>
            <div className="govuk-grid-row">
              <div className="govuk-grid-column-one-third">
                <SelectField
                  field={fields.owner}
                  label="Owner"
                  placeholder="Anyone"
                  options={[
                    ...(canChooseMe ? [{ value: "me", label: "Me" }] : []),
                    ...options.owners.map((p) => ({ value: String(p.id), label: p.name })),
                  ]}
                />
                <TextField field={fields.dueFrom} label="Due from" type="date" />
                <TextField field={fields.dueTo} label="Due to" type="date" />
              </div>
              <div className="govuk-grid-column-one-third">
                <CheckboxesField
                  field={fields.status}
                  legend="Status"
                  small
                  options={ACTION_STATUSES.map((status) => ({
                    value: status,
                    label: ACTION_STATUS_LABELS[status],
                  }))}
                />
              </div>
              <div className="govuk-grid-column-one-third">
                <CheckboxesField
                  field={fields.rag}
                  legend="RAG"
                  small
                  options={ACTION_RAGS.map((rag) => ({ value: rag, label: RAG_LABELS[rag] }))}
                />
              </div>
            </div>
            <div className="govuk-button-group govuk-!-margin-bottom-0">
              <button
                type="submit"
                className="govuk-button govuk-!-margin-bottom-0"
                data-module="govuk-button"
              >
                Apply filters
              </button>
              {exportHref ? (
                <a className="govuk-link" href={exportHref} download>
                  Download these actions (CSV)
                </a>
              ) : null}
            </div>
          </div>
        </div>
      </Form>

      <DataTable
        caption={boardName ? `${boardName} action log` : "Actions"}
        captionSize="hidden"
        columns={columns}
        rows={list.rows}
        rowKey={(action) => action.id}
        sort={{ sort: state.sort, dir: state.dir }}
        emptyMessage={
          filterResult
            ? "Correct the filter to see actions."
            : filtered
              ? "No actions match these filters."
              : "There are no actions you can see yet."
        }
        paging={{
          page: list.page,
          pageSize: list.pageSize,
          total: list.total,
          itemsName: list.total === 1 ? "action" : "actions",
        }}
      />
      <p className="govuk-body-s app-secondary-text">
        RAG: red is past its due date; amber is not started and due within 14 days; green is on track. Dates
        are in UK time.
      </p>
    </>
  );
}
