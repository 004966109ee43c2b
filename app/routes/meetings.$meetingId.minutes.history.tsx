import { Link, useLocation } from "react-router";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { parseTableState, queryWith } from "~/components/table-state";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import { MinutesBreadcrumbs } from "~/minutes/components/breadcrumbs";
import {
  type DiffSection,
  listVersions,
  VERSION_TABLE,
  type VersionInfo,
  versionDiff,
} from "~/minutes/reading.server";
import { MINUTES_STATUS_COLOURS, MINUTES_STATUS_LABELS } from "~/minutes/schemas";
import type { Route } from "./+types/meetings.$meetingId.minutes.history";

/*
 * /meetings/:meetingId/minutes/history: every version of the minutes (each save, autosave
 * and change of status), and the word-by-word differences between any two. For those who
 * run the board.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `History of the minutes: ${data.meeting.boardName}, ${formatDate(data.meeting.startsAt)} – Boardledger`
      : "History of the minutes – Boardledger",
  },
];

function versionParam(value: string | null): number | null {
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const meetingId = idParam(params.meetingId);
  const search = new URL(request.url).searchParams;
  const state = parseTableState(search, VERSION_TABLE);
  const history = await listVersions(viewer, meetingId, state);
  const latest = history.minutes?.version ?? 0;
  // By default: the latest version against the one before it.
  const to = versionParam(search.get("to")) ?? latest;
  const from = versionParam(search.get("from")) ?? Math.max(1, to - 1);
  const diff = latest > 1 && from !== to ? await versionDiff(viewer, meetingId, from, to) : null;
  return { ...history, state, from, to, latest, diff };
}

export default function MinutesHistory({ loaderData }: Route.ComponentProps) {
  const { meeting, versions, total, state, from, to, latest, diff } = loaderData;
  const { search } = useLocation();
  const columns: DataTableColumn<VersionInfo>[] = [
    {
      id: "version",
      header: "Version",
      numeric: true,
      sortable: true,
      firstDirection: "desc",
      cell: (v) => v.version,
    },
    {
      id: "status",
      header: "Status",
      cell: (v) => <Tag colour={MINUTES_STATUS_COLOURS[v.status]}>{MINUTES_STATUS_LABELS[v.status]}</Tag>,
    },
    { id: "saved", header: "Saved", nowrap: true, cell: (v) => formatDateTime(v.savedAt) },
    { id: "by", header: "By", cell: (v) => v.savedBy ?? "A former user" },
    { id: "note", header: "Note", cell: (v) => v.note ?? "" },
    {
      id: "compare",
      header: "Changes",
      cell: (v) =>
        v.version > 1 ? (
          <Link className="govuk-link" to={queryWith(search, { from: v.version - 1, to: v.version }) || "?"}>
            Compare with version {v.version - 1}
            <span className="govuk-visually-hidden"> (version {v.version})</span>
          </Link>
        ) : (
          "First version"
        ),
    },
  ];
  const options = Array.from({ length: latest }, (_, i) => latest - i);

  return (
    <>
      <MinutesBreadcrumbs meeting={meeting} minutesLink />
      <span className="govuk-caption-l">{meeting.boardName}</span>
      <h1 className="govuk-heading-l">History of the minutes</h1>

      {latest > 1 && (
        <form method="get" className="govuk-!-margin-bottom-6">
          <h2 className="govuk-heading-m">Compare two versions</h2>
          <div className="govuk-grid-row">
            {(["from", "to"] as const).map((name) => (
              <div className="govuk-grid-column-one-quarter" key={name}>
                <div className="govuk-form-group">
                  <label className="govuk-label" htmlFor={`compare-${name}`}>
                    {name === "from" ? "Earlier version" : "Later version"}
                  </label>
                  <select
                    className="govuk-select"
                    id={`compare-${name}`}
                    name={name}
                    defaultValue={String(name === "from" ? from : to)}
                  >
                    {options.map((n) => (
                      <option key={n} value={n}>
                        Version {n}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            ))}
          </div>
          <button type="submit" className="govuk-button govuk-button--secondary">
            Compare
          </button>
        </form>
      )}

      {diff && (
        <section className="app-diff" aria-labelledby="diff-heading">
          <h2 className="govuk-heading-m" id="diff-heading">
            Changes from version {diff.from.version} to version {diff.to.version}
          </h2>
          <p className="govuk-body">
            Version {diff.from.version}: {MINUTES_STATUS_LABELS[diff.from.status].toLowerCase()},{" "}
            {formatDateTime(diff.from.savedAt)}
            {diff.from.savedBy ? ` by ${diff.from.savedBy}` : ""}. Version {diff.to.version}:{" "}
            {MINUTES_STATUS_LABELS[diff.to.status].toLowerCase()}, {formatDateTime(diff.to.savedAt)}
            {diff.to.savedBy ? ` by ${diff.to.savedBy}` : ""}.{" "}
            <span className="govuk-visually-hidden">
              Added text is marked as inserted, removed text as deleted.
            </span>
          </p>
          {diff.sections.length === 0 ? (
            <p className="govuk-body">The two versions have the same text.</p>
          ) : (
            diff.sections.map((section) => <DiffBlock key={section.title} section={section} />)
          )}
          {diff.unchanged > 0 && diff.sections.length > 0 && (
            <p className="govuk-body app-secondary-text">
              {diff.unchanged === 1 ? "One other section is" : `${diff.unchanged} other sections are`}{" "}
              unchanged.
            </p>
          )}
        </section>
      )}

      <h2 className="govuk-heading-m">Versions</h2>
      <DataTable
        caption="Versions of the minutes"
        captionSize="hidden"
        columns={columns}
        rows={versions}
        rowKey={(v) => v.version}
        sort={state}
        emptyMessage="The minutes have not been written yet."
        paging={{ page: state.page, pageSize: state.pageSize, total, itemsName: "versions" }}
      />
    </>
  );
}

function DiffBlock({ section }: { section: DiffSection }) {
  const label = section.change === "added" ? "Added" : section.change === "removed" ? "Removed" : "Changed";
  return (
    <div className="govuk-!-margin-bottom-6">
      <h3 className="govuk-heading-s">
        {section.title}{" "}
        <Tag colour={section.change === "removed" ? "red" : section.change === "added" ? "green" : "yellow"}>
          {label}
        </Tag>
      </h3>
      <p className="govuk-body app-diff__text">
        {section.parts.map((part, index) =>
          part.added ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence
            <ins key={index}>{part.value}</ins>
          ) : part.removed ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence
            <del key={index}>{part.value}</del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence
            <span key={index}>{part.value}</span>
          ),
        )}
      </p>
    </div>
  );
}
