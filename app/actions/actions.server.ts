import {
  type Expression,
  type OrderByModifiersCallbackExpression,
  type RawBuilder,
  type SqlBool,
  sql,
} from "kysely";
import type { ActionStatus, Classification, IsoDate } from "../../db/schema";
import { inTransaction, workspaceIdOf } from "../../db/tenancy";
import { csvField } from "../admin/csv";
import { escapeLike } from "../admin/shared.server";
import { recordAudit } from "../audit/audit.server";
import { type ActionScope, actionScope, can, ensure, notFound } from "../auth/authorise.server";
import type { Viewer } from "../auth/viewer.server";
import {
  offsetOf,
  type SortDirection,
  type TableState,
  type TableStateOptions,
} from "../components/table-state";
import { londonDate } from "../format";
import { ACTION_STATUS_LABELS, actionRef, isClosed, RAG_LABELS } from "./labels";
import { ACTION_RAGS, type ActionRag, ragIsSql, ragRankSql, ragSql } from "./rag";
import type { ActionFilterInput, ActionUpdateInput } from "./schemas";

/*
 * The action log: who may see which actions, the list with its filters, sorting and paging
 * (all in SQL), one action with its progress updates, posting an update, and the CSV export.
 *
 * Every query goes through `viewer.db`, the workspace-scoped handle. Which actions inside
 * the workspace a viewer may read is `can.readAction` (app/auth/authorise.server.ts); the
 * lists apply the same rule in SQL through `actionScope`. An OFFICIAL-SENSITIVE action on a
 * board the viewer does not sit on keeps its OFFICIAL fields (board, owner, dates, status,
 * RAG) but its title is replaced in SQL by "Restricted action", and its description,
 * outcome and updates are never selected, so the sensitive text never leaves the database
 * for that viewer. Text search and sorting by title use the title the viewer sees, so
 * neither can reveal a hidden one.
 */

export const RESTRICTED_TITLE = "Restricted action";

// ── Filters and table state ──────────────────────────────────────────────────────────────

export interface ActionFilters {
  /** Words in the title (the title the viewer sees), or a reference such as "ACT-42". */
  q?: string;
  board?: number;
  /** Actions this agency leads or supports. */
  agency?: number;
  /** Actions this person owns; "me" for the viewer's own person record. */
  owner?: number | "me";
  status?: readonly ActionStatus[];
  rag?: readonly ActionRag[];
  /** Due on or after this London calendar date. */
  dueFrom?: IsoDate;
  /** Due on or before this date. */
  dueTo?: IsoDate;
}

/** The parsed filter form as the query takes it. */
export function actionFiltersFrom(input: ActionFilterInput): ActionFilters {
  const filters: ActionFilters = {};
  if (input.q) filters.q = input.q;
  if (input.board !== undefined) filters.board = input.board;
  if (input.agency !== undefined) filters.agency = input.agency;
  if (input.owner) filters.owner = input.owner === "me" ? "me" : Number(input.owner);
  if (input.status?.length) filters.status = [...new Set(input.status)];
  if (input.rag?.length) filters.rag = [...new Set(input.rag)];
  if (input.dueFrom) filters.dueFrom = input.dueFrom;
  if (input.dueTo) filters.dueTo = input.dueTo;
  return filters;
}

export const ACTION_SORTS = [
  "ref",
  "title",
  "board",
  "agency",
  "owner",
  "due",
  "status",
  "rag",
  "updated",
] as const;
export type ActionSort = (typeof ACTION_SORTS)[number];

/** How ?sort=&dir=&page=&pageSize= are read for the action log. */
export const ACTION_TABLE: TableStateOptions<ActionSort> = {
  sortable: ACTION_SORTS,
  defaultSort: "rag",
  firstDirection: { updated: "desc" },
  defaultPageSize: 25,
};

// ── What a row holds ─────────────────────────────────────────────────────────────────────

export interface AgencyRef {
  id: number;
  name: string;
  shortName: string;
}

export interface ActionListItem {
  id: number;
  /** "ACT-42". */
  ref: string;
  /** The title, or "Restricted action" for an OFFICIAL-SENSITIVE action the viewer may not read. */
  title: string;
  restricted: boolean;
  classification: Classification;
  board: { id: number; name: string };
  /** `shortName` ("Police") for tables, where space is short; `name` in full elsewhere. */
  ownerAgency: AgencyRef;
  ownerPerson: { id: number; name: string } | null;
  supportingAgencies: AgencyRef[];
  dueDate: IsoDate;
  status: ActionStatus;
  rag: ActionRag;
  /** The meeting it was raised at, if any. */
  meeting: { id: number; startsAt: Date } | null;
  /** The newest progress update (none for a restricted action). */
  latestUpdate: { at: Date; authorName: string; body: string } | null;
}

export interface ActionList {
  rows: ActionListItem[];
  total: number;
  page: number;
  pageSize: number;
  /** The London date the RAGs were worked out for. */
  today: IsoDate;
}

// ── SQL pieces ───────────────────────────────────────────────────────────────────────────

const RAG_COLUMNS = { status: sql.ref("a.status"), dueDate: sql.ref("a.due_date") };

/** True for a row whose OFFICIAL-SENSITIVE text this viewer may not read (not `can.readSensitive`). */
function restrictedSql(scope: ActionScope): RawBuilder<boolean> {
  if (scope.all) return sql<boolean>`false`;
  if (scope.boardIds.length === 0) return sql<boolean>`(a.classification = 'official_sensitive')`;
  return sql<boolean>`(a.classification = 'official_sensitive' and a.board_id not in (${sql.join(scope.boardIds)}))`;
}

/** A text column the viewer may read, or null for a restricted row. */
function unlessRestricted<T>(scope: ActionScope, column: Expression<T>): RawBuilder<T | null> {
  if (scope.all) return sql<T | null>`${column}`;
  return sql<T | null>`(case when ${restrictedSql(scope)} then null else ${column} end)`;
}

function titleSql(scope: ActionScope): RawBuilder<string> {
  if (scope.all) return sql<string>`a.title`;
  return sql<string>`(case when ${restrictedSql(scope)} then ${RESTRICTED_TITLE} else a.title end)`;
}

interface SupportingAgencyJson {
  id: number;
  name: string;
  short_name: string | null;
}

/** The supporting agencies of a row, by name, as one JSON array (inside a sub-select of them). */
function supportingAgenciesJson(): RawBuilder<SupportingAgencyJson[]> {
  const agency = sql`json_build_object('id', sa.id, 'name', sa.name, 'short_name', sa.short_name)`;
  return sql<
    SupportingAgencyJson[]
  >`coalesce(json_agg(${agency} order by lower(sa.name) collate "C", sa.id), '[]'::json)`;
}

/** Byte order of the lower-cased text: the same order on PGlite and on PostgreSQL. */
function textOrder(expression: Expression<unknown>): RawBuilder<string> {
  return sql<string>`lower(${expression}) collate "C"`;
}

const STATUS_ORDER: readonly ActionStatus[] = ["open", "in_progress", "done", "dropped"];

function statusOrder(): RawBuilder<number> {
  const whens = STATUS_ORDER.map((status, index) => sql`when ${sql.lit(status)} then ${sql.lit(index)}`);
  return sql<number>`(case a.status ${sql.join(whens, sql` `)} end)`;
}

/** Ascending or descending, with empty values (no owner, no update yet) last either way. */
function orderModifier(dir: SortDirection): OrderByModifiersCallbackExpression {
  return (builder) => (dir === "asc" ? builder.asc().nullsLast() : builder.desc().nullsLast());
}

/**
 * "The action is on one of these boards, led by one of these agencies or supported by one":
 * an OR of conditions that each have an index (actions_board_idx, actions_agency_idx, and
 * the primary key for the supported ones, whose ids are read first as an array), so
 * PostgreSQL combines three index scans (a BitmapOr) instead of reading every action of
 * the workspace to test an `exists` on each, as it did for a partner's page.
 */
function visibleActionsSql(
  viewer: Viewer,
  boardIds: readonly number[],
  agencyIds: readonly number[],
): RawBuilder<SqlBool> {
  const arms: RawBuilder<SqlBool>[] = [];
  if (boardIds.length > 0) arms.push(sql<SqlBool>`a.board_id in (${sql.join(boardIds)})`);
  if (agencyIds.length > 0) {
    const supported = viewer.db
      .selectFrom("action_supporting_agencies as vs")
      .select("vs.action_id")
      .where("vs.agency_id", "in", [...agencyIds]);
    arms.push(sql<SqlBool>`a.owner_agency_id in (${sql.join(agencyIds)})`);
    arms.push(sql<SqlBool>`a.id = any(array(${supported}))`);
  }
  return arms.length > 0 ? sql<SqlBool>`(${sql.join(arms, sql` or `)})` : sql<SqlBool>`false`;
}

/**
 * The actions a viewer may read that match the filters, from "actions as a": the WHERE
 * clause shared by the page, its count and the export.
 */
function filteredActions(viewer: Viewer, scope: ActionScope, filters: ActionFilters, today: IsoDate) {
  let query = viewer.db.selectFrom("actions as a");

  if (!scope.all) {
    const { boardIds, agencyIds } = scope;
    query = query.where(visibleActionsSql(viewer, boardIds, agencyIds));
  }

  if (filters.board !== undefined) query = query.where("a.board_id", "=", filters.board);
  if (filters.agency !== undefined) query = query.where(visibleActionsSql(viewer, [], [filters.agency]));
  if (filters.board !== undefined) query = query.where("a.board_id", "=", filters.board);
  if (filters.owner !== undefined) {
    const personId = filters.owner === "me" ? viewer.personId : filters.owner;
    query =
      personId === null ? query.where(sql<SqlBool>`false`) : query.where("a.owner_person_id", "=", personId);
  }
  if (filters.status && filters.status.length > 0) query = query.where("a.status", "in", [...filters.status]);
  if (filters.rag && filters.rag.length > 0) {
    const rags = filters.rag.map((rag) => ragIsSql(RAG_COLUMNS, rag, today));
    query = query.where(sql<SqlBool>`(${sql.join(rags, sql` or `)})`);
  }
  if (filters.dueFrom) query = query.where("a.due_date", ">=", filters.dueFrom);
  if (filters.dueTo) query = query.where("a.due_date", "<=", filters.dueTo);
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    const reference = /^(?:act-?)?(\d{1,15})$/i.exec(filters.q.trim());
    query = query.where((eb) => {
      const byTitle = eb(titleSql(scope), "ilike", pattern);
      return reference ? eb.or([byTitle, eb("a.id", "=", Number(reference[1]))]) : byTitle;
    });
  }
  return query;
}

interface SortKey {
  expression: Expression<unknown>;
  modifier: OrderByModifiersCallbackExpression;
}

/**
 * What the rows are ordered by: the chosen column, then due date and id, so ties fall in a
 * stable order and paging never repeats or skips a row. The expressions read only the
 * action and its board, owner agency and owner person, so the query that picks a page's
 * ids and the query that fetches those rows order them the same way.
 */
function sortKeys(
  viewer: Viewer,
  scope: ActionScope,
  today: IsoDate,
  sort: { sort: ActionSort; dir: SortDirection },
): SortKey[] {
  const chosen = ((): Expression<unknown> => {
    switch (sort.sort) {
      case "ref":
        return sql.ref("a.id");
      case "title":
        return textOrder(titleSql(scope));
      case "board":
        return textOrder(sql.ref("b.name"));
      case "agency":
        return textOrder(sql.ref("oa.name"));
      case "owner":
        return textOrder(sql.ref("op.full_name"));
      case "due":
        return sql.ref("a.due_date");
      case "status":
        return statusOrder();
      case "rag":
        return ragRankSql(RAG_COLUMNS, today);
      case "updated":
        // When the latest update was posted (hidden, so unsorted, on a restricted row).
        return unlessRestricted(
          scope,
          viewer.db
            .selectFrom("action_updates as ul")
            .select((eb) => eb.fn.max("ul.created_at").as("at"))
            .where("ul.action_id", "=", sql.ref<number>("a.id")),
        );
    }
  })();
  const ascending: OrderByModifiersCallbackExpression = (builder) => builder.asc();
  return [
    { expression: chosen, modifier: orderModifier(sort.dir) },
    { expression: sql.ref("a.due_date"), modifier: ascending },
    { expression: sql.ref("a.id"), modifier: ascending },
  ];
}

/**
 * The ids of the actions the viewer may read that match the filters, in order: with
 * `.limit().offset()`, one page of them. Only the joins the order needs; no per-row work.
 */
function orderedIds(
  viewer: Viewer,
  scope: ActionScope,
  filters: ActionFilters,
  today: IsoDate,
  sort: { sort: ActionSort; dir: SortDirection },
) {
  let query = filteredActions(viewer, scope, filters, today)
    .innerJoin("boards as b", "b.id", "a.board_id")
    .innerJoin("agencies as oa", "oa.id", "a.owner_agency_id")
    .leftJoin("people as op", "op.id", "a.owner_person_id")
    .select("a.id");
  for (const key of sortKeys(viewer, scope, today, sort)) query = query.orderBy(key.expression, key.modifier);
  return query;
}

/**
 * One page of ids in RAG order (the action log's default), picked band by band. The RAG
 * depends on today, so no index holds it; sorting by it meant working it out for every
 * action of the workspace to show 50. Each RAG is a plain range of status and due date
 * (`ragIsSql`), so each band's first `offset + limit` actions by due date come straight
 * from an index (actions_open_due_idx, actions_status_due_idx), and only those few are
 * merged and sorted. The same rows in the same order as `orderedIds` sorted by "rag".
 */
function ragPageIds(
  viewer: Viewer,
  scope: ActionScope,
  filters: ActionFilters,
  today: IsoDate,
  dir: SortDirection,
  page: { limit: number; offset: number },
) {
  const wanted = page.limit + page.offset;
  const band = (rag: ActionRag) =>
    viewer.db
      .selectFrom(
        filteredActions(viewer, scope, filters, today)
          .where(ragIsSql(RAG_COLUMNS, rag, today))
          .select(["a.id", "a.due_date", sql.lit(ACTION_RAGS.indexOf(rag)).as("rank")])
          .orderBy("a.due_date")
          .orderBy("a.id")
          .limit(wanted)
          .as(rag),
      )
      .select([`${rag}.id`, `${rag}.due_date`, `${rag}.rank`]);
  const [first, ...rest] = ACTION_RAGS.map(band);
  if (!first) throw new Error("No RAGs");
  const bands = rest.reduce((union, next) => union.unionAll(next), first);
  return viewer.db
    .selectFrom(bands.as("bands"))
    .select("bands.id")
    .orderBy("bands.rank", dir)
    .orderBy("bands.due_date")
    .orderBy("bands.id")
    .limit(page.limit)
    .offset(page.offset);
}

type OrderedIds = ReturnType<typeof orderedIds> | ReturnType<typeof ragPageIds>;

/**
 * Everything a row of the action log shows, for the actions `ids` picks (a page of
 * `orderedIds`, or a list of ids already picked by it), in the same order: one query, with
 * joins for the board, owner agency and person, the meeting of origin, a lateral join for
 * the latest update and a sub-select of the supporting agencies. Never a query per row.
 */
function actionRows(
  viewer: Viewer,
  scope: ActionScope,
  today: IsoDate,
  sort: { sort: ActionSort; dir: SortDirection },
  ids: OrderedIds | readonly number[],
) {
  let query = viewer.db
    .selectFrom("actions as a")
    .innerJoin("boards as b", "b.id", "a.board_id")
    .innerJoin("agencies as oa", "oa.id", "a.owner_agency_id")
    .leftJoin("people as op", "op.id", "a.owner_person_id")
    .leftJoin("meetings as m", "m.id", "a.meeting_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("action_updates as u")
          .select(["u.body", "u.created_at", "u.author_name"])
          .whereRef("u.action_id", "=", "a.id")
          .orderBy("u.created_at", "desc")
          .orderBy("u.id", "desc")
          .limit(1)
          .as("lu"),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      "a.id",
      "a.classification",
      "a.board_id",
      "b.name as board_name",
      "a.owner_agency_id",
      "oa.name as owner_agency_name",
      "oa.short_name as owner_agency_short_name",
      "a.owner_person_id",
      "op.full_name as owner_person_name",
      "a.due_date",
      "a.status",
      "a.meeting_id",
      "m.starts_at as meeting_starts_at",
      titleSql(scope).as("title"),
      restrictedSql(scope).as("restricted"),
      ragSql(RAG_COLUMNS, today).as("rag"),
      unlessRestricted<string>(scope, sql.ref("lu.body")).as("latest_body"),
      unlessRestricted<Date>(scope, sql.ref("lu.created_at")).as("latest_at"),
      unlessRestricted<string>(scope, sql.ref("lu.author_name")).as("latest_author"),
      eb
        .selectFrom("action_supporting_agencies as s")
        .innerJoin("agencies as sa", "sa.id", "s.agency_id")
        .select(supportingAgenciesJson().as("list"))
        .whereRef("s.action_id", "=", "a.id")
        .as("supporting"),
    ]);
  query = Array.isArray(ids)
    ? query.where("a.id", "in", ids.length > 0 ? [...ids] : [0])
    : query.where("a.id", "in", ids as OrderedIds);
  for (const key of sortKeys(viewer, scope, today, sort)) query = query.orderBy(key.expression, key.modifier);
  return query;
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof actionRows>["execute"]>>[number];

function parseJson<T>(value: T | string | null | undefined, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

function toListItem(row: ActionRow): ActionListItem {
  const supporting = parseJson<SupportingAgencyJson[]>(row.supporting, []);
  return {
    id: Number(row.id),
    ref: actionRef(Number(row.id)),
    title: row.title,
    restricted: Boolean(row.restricted),
    classification: row.classification,
    board: { id: Number(row.board_id), name: row.board_name },
    ownerAgency: {
      id: Number(row.owner_agency_id),
      name: row.owner_agency_name,
      shortName: row.owner_agency_short_name || row.owner_agency_name,
    },
    ownerPerson:
      row.owner_person_id === null || row.owner_person_name === null
        ? null
        : { id: Number(row.owner_person_id), name: row.owner_person_name },
    supportingAgencies: supporting.map((agency) => ({
      id: Number(agency.id),
      name: agency.name,
      shortName: agency.short_name || agency.name,
    })),
    dueDate: row.due_date,
    status: row.status,
    rag: row.rag,
    meeting:
      row.meeting_id === null || row.meeting_starts_at === null
        ? null
        : { id: Number(row.meeting_id), startsAt: new Date(row.meeting_starts_at) },
    latestUpdate:
      row.latest_at === null || row.latest_body === null
        ? null
        : { at: new Date(row.latest_at), authorName: row.latest_author ?? "", body: row.latest_body },
  };
}

// ── The list ─────────────────────────────────────────────────────────────────────────────

export interface ListActionsOptions {
  /** "Now", for tests; RAGs are worked out for London's date at this instant. */
  now?: Date;
}

/**
 * One page of the actions a viewer may read that match the filters, sorted and paged in
 * SQL: one query for the rows (joins for board, owner agency and person, meeting, a lateral
 * join for the latest update), and a count when the page does not already tell the total.
 */
export async function listActions(
  viewer: Viewer,
  filters: ActionFilters,
  table: TableState<ActionSort>,
  options: ListActionsOptions = {},
): Promise<ActionList> {
  const today = londonDate(options.now ?? new Date());
  const scope = actionScope(viewer);
  const { page, pageSize } = table;
  const offset = offsetOf(table);
  // The page's ids are picked (filtered, sorted, paged) before any row's details are worked
  // out, so a late page or a sort by a joined column costs no more than the first page.
  const pageIds =
    table.sort === "rag"
      ? ragPageIds(viewer, scope, filters, today, table.dir, { limit: pageSize, offset })
      : orderedIds(viewer, scope, filters, today, table).limit(pageSize).offset(offset);
  const rows = await actionRows(viewer, scope, today, table, pageIds).execute();

  // A part-filled page (not past the end) is the last one, and says the total itself.
  let total = offset + rows.length;
  if (rows.length === pageSize || (rows.length === 0 && page > 1)) {
    const count = await filteredActions(viewer, scope, filters, today)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    total = Number(count.n);
  }
  return { rows: rows.map(toListItem), total, page, pageSize, today };
}

export interface FilterOption {
  id: number;
  name: string;
}

/** The choices in the action log's filter: boards and owners the viewer has actions of, agencies. */
export async function actionFilterOptions(
  viewer: Viewer,
): Promise<{ boards: FilterOption[]; agencies: FilterOption[]; owners: FilterOption[] }> {
  const scope = actionScope(viewer);
  const today = londonDate();
  const visible = () => filteredActions(viewer, scope, {}, today);
  // "Any board (or owner) of the viewer's actions". For a partner those few actions are
  // read once, by index, into an array, rather than searched board by board; for those who
  // see every action, a semi-join (a look-up per board or person by index) is cheaper.
  const ofVisible = (column: "a.board_id" | "a.owner_person_id") =>
    scope.all
      ? sql<number>`any(${visible().select(column)})`
      : sql<number>`any(array(${visible().select(column)}))`;
  let boardQuery = viewer.db.selectFrom("boards as b").select(["b.id", "b.name"]);
  if (!scope.all) {
    const readable = scope.boardIds;
    boardQuery = boardQuery.where((eb) =>
      eb.or([
        ...(readable.length > 0 ? [eb("b.id", "in", readable)] : []),
        eb(sql.ref("b.id"), "=", ofVisible("a.board_id")),
      ]),
    );
  }
  const boards = await boardQuery
    .orderBy(textOrder(sql.ref("b.name")))
    .orderBy("b.id")
    .execute();
  const agencies = await viewer.db
    .selectFrom("agencies as ag")
    .select(["ag.id", "ag.name"])
    .orderBy(textOrder(sql.ref("ag.name")))
    .orderBy("ag.id")
    .execute();
  const owners = await viewer.db
    .selectFrom("people as p")
    .select(["p.id", "p.full_name as name"])
    .where(sql.ref("p.id"), "=", ofVisible("a.owner_person_id"))
    .orderBy(textOrder(sql.ref("p.full_name")))
    .orderBy("p.id")
    .execute();
  const option = (row: { id: number; name: string }) => ({ id: Number(row.id), name: row.name });
  return { boards: boards.map(option), agencies: agencies.map(option), owners: owners.map(option) };
}

// ── One action ───────────────────────────────────────────────────────────────────────────

export interface ActionUpdateItem {
  id: number;
  at: Date;
  authorName: string;
  body: string;
  statusTo: ActionStatus | null;
}

export interface ActionDetail extends ActionListItem {
  /** Null when restricted. */
  description: string | null;
  /** What it achieved, or why it was dropped; null while open, or when restricted. */
  outcome: string | null;
  completedAt: Date | null;
  createdAt: Date;
  /** The version an update form must carry (optimistic concurrency). */
  version: number;
}

export interface ActionPage {
  action: ActionDetail;
  /** Newest first; empty when restricted. */
  updates: ActionUpdateItem[];
  /** How many updates there are, shown or not. */
  updateCount: number;
  /** May post an update or change the status (`can.updateAction`). */
  canUpdate: boolean;
  /** May open the board's page. */
  canReadBoard: boolean;
}

/** One action with its updates, newest first. Answers 404 when the viewer may not read it. */
export async function getAction(
  viewer: Viewer,
  actionId: number,
  options: ListActionsOptions = {},
): Promise<ActionPage> {
  ensure(Number.isSafeInteger(actionId) && actionId > 0);
  const today = londonDate(options.now ?? new Date());
  const scope = actionScope(viewer);
  const sort = { sort: "ref", dir: "asc" } as const;
  const visible = orderedIds(viewer, scope, {}, today, sort).where("a.id", "=", actionId);
  const row = await actionRows(viewer, scope, today, sort, visible)
    .select((eb) => [
      unlessRestricted<string>(scope, sql.ref("a.description")).as("description"),
      unlessRestricted<string>(scope, sql.ref("a.outcome")).as("outcome"),
      "a.completed_at",
      "a.created_at",
      "a.version",
      eb
        .selectFrom("action_updates as uc")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("uc.action_id", "=", "a.id")
        .as("update_count"),
    ])
    .executeTakeFirst();
  if (!row) notFound();
  const item = toListItem(row);
  // The SQL scope and the one-record rule must agree; if they ever did not, refuse.
  ensure(
    can.readAction(viewer, {
      board_id: item.board.id,
      owner_agency_id: item.ownerAgency.id,
      supporting_agency_ids: item.supportingAgencies.map((agency) => agency.id),
    }),
  );
  ensure(
    item.restricted ===
      (item.classification === "official_sensitive" && !can.readSensitive(viewer, item.board.id)),
  );

  const updates = item.restricted
    ? []
    : await viewer.db
        .selectFrom("action_updates")
        .select(["id", "created_at", "author_name", "body", "status_to"])
        .where("action_id", "=", actionId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();

  return {
    action: {
      ...item,
      description: row.description,
      outcome: row.outcome,
      completedAt: row.completed_at ? new Date(row.completed_at) : null,
      createdAt: new Date(row.created_at),
      version: row.version,
    },
    updates: updates.map((u) => ({
      id: Number(u.id),
      at: new Date(u.created_at),
      authorName: u.author_name,
      body: u.body,
      statusTo: u.status_to,
    })),
    updateCount: Number(row.update_count ?? 0),
    canUpdate: can.updateAction(viewer, { board_id: item.board.id, owner_agency_id: item.ownerAgency.id }),
    canReadBoard: can.readBoard(viewer, item.board.id),
  };
}

// ── Posting an update ────────────────────────────────────────────────────────────────────

export type PostUpdateOutcome =
  | { ok: true; version: number; updateId: number; statusChanged: boolean }
  /** Someone changed the action after the form was opened: nothing was written. */
  | { ok: false; reason: "stale"; currentVersion: number; currentStatus: ActionStatus }
  | { ok: false; reason: "invalid"; fieldErrors: Partial<Record<"body" | "status" | "outcome", string[]>> };

/**
 * Answers 404 unless the viewer may update this action: checked before a refused form is
 * answered, so a form from someone who may not update it reveals nothing either.
 */
export async function ensureMayUpdate(viewer: Viewer, actionId: number): Promise<void> {
  ensure(Number.isSafeInteger(actionId) && actionId > 0);
  const action = await viewer.db
    .selectFrom("actions")
    .select(["board_id", "owner_agency_id"])
    .where("id", "=", actionId)
    .executeTakeFirst();
  ensure(action !== undefined && can.updateAction(viewer, action));
}

/** What a refused stale update says: what happened, where the text is, what to do. */
export function staleUpdateMessage(currentStatus: ActionStatus): string {
  return (
    `Someone else updated this action after you opened it (it is now ‘${ACTION_STATUS_LABELS[currentStatus]}’), ` +
    "so your update has not been saved. It is still in the box below: check the latest progress, then post it again."
  );
}

/**
 * Posts a progress update, optionally changing the status, as one change in one
 * transaction with its audit event. Who may: `can.updateAction` (404 for anyone else).
 *
 * - The form carries the version it was opened on; if the action has moved on since, the
 *   update is refused (nothing is written) so no one acts on a status they have not seen.
 * - Closing (done or dropped) needs an outcome and sets completed_at; reopening clears both.
 * - Every update moves the version on, so two people posting at once cannot both win.
 */
export async function postUpdate(
  viewer: Viewer,
  actionId: number,
  input: Pick<ActionUpdateInput, "body" | "version"> & Partial<Pick<ActionUpdateInput, "status" | "outcome">>,
  options: { now?: Date; ip?: string | null } = {},
): Promise<PostUpdateOutcome> {
  ensure(Number.isSafeInteger(actionId) && actionId > 0);
  const body = input.body.trim();
  if (body === "")
    return { ok: false, reason: "invalid", fieldErrors: { body: ["Enter a progress update"] } };

  return inTransaction(viewer.db, async (trx) => {
    const action = await trx
      .selectFrom("actions")
      .select(["id", "board_id", "owner_agency_id", "status", "version"])
      .where("id", "=", actionId)
      .forUpdate()
      .executeTakeFirst();
    if (!action) notFound();
    ensure(can.updateAction(viewer, action));
    if (action.version !== input.version) {
      return {
        ok: false,
        reason: "stale",
        currentVersion: action.version,
        currentStatus: action.status,
      } as const;
    }

    const status = input.status ?? action.status;
    const changed = status !== action.status;
    const outcome = input.outcome?.trim() || null;
    if (changed && isClosed(status) && outcome === null) {
      const message =
        status === "done"
          ? "Enter the outcome: what the action achieved"
          : "Enter why the action was dropped";
      return { ok: false, reason: "invalid", fieldErrors: { outcome: [message] } } as const;
    }

    const now = options.now ?? new Date();
    const update = await trx
      .insertInto("action_updates")
      .values({
        workspace_id: workspaceIdOf(trx),
        action_id: actionId,
        author_id: viewer.user.id,
        author_name: viewer.user.name,
        body,
        status_to: changed ? status : null,
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const closing = changed && isClosed(status);
    const reopening = changed && !isClosed(status) && isClosed(action.status);
    const version = action.version + 1;
    const updated = await trx
      .updateTable("actions")
      .set({
        version,
        updated_at: now,
        status,
        ...(closing ? { completed_at: now, outcome } : {}),
        ...(reopening ? { completed_at: null, outcome: null } : {}),
        // A closed action's outcome may be corrected with a later update.
        ...(!changed && isClosed(status) && outcome !== null ? { outcome } : {}),
      })
      .where("id", "=", actionId)
      .where("version", "=", action.version)
      .executeTakeFirst();
    // The row is locked, so this cannot happen; if it ever did, roll everything back.
    if (Number(updated.numUpdatedRows) !== 1) throw new Error(`Action ${actionId} changed while locked`);

    // Never the update's text or the outcome: they may be OFFICIAL-SENSITIVE.
    await recordAudit(
      trx,
      { userId: viewer.user.id, label: viewer.user.email, ip: options.ip ?? null },
      {
        event: changed ? "action.status_changed" : "action.updated",
        entityType: "action",
        entityId: actionId,
        changes: {
          update_id: Number(update.id),
          version: [action.version, version],
          ...(changed ? { status: [action.status, status] } : {}),
        },
      },
    );
    return { ok: true, version, updateId: Number(update.id), statusChanged: changed } as const;
  });
}

// ── Keyset pages (the JSON API) ──────────────────────────────────────────────────────────

/** A position in due-date order: the last action of a page. */
export interface ActionKey {
  dueDate: IsoDate;
  id: number;
}

/**
 * The actions after `after` in due-date order (then id), at most `limit` of them, and the
 * key to continue from (null when there are no more). A key is a position in the order,
 * not an offset, so actions added or closed meanwhile never make a page repeat or skip one.
 * The same visibility, filters and rows as the action log.
 */
export async function listActionsAfter(
  viewer: Viewer,
  filters: ActionFilters,
  after: ActionKey | null,
  limit: number,
  options: ListActionsOptions = {},
): Promise<{ rows: ActionListItem[]; next: ActionKey | null }> {
  const today = londonDate(options.now ?? new Date());
  const scope = actionScope(viewer);
  const sort = { sort: "due", dir: "asc" } as const;
  let ids = orderedIds(viewer, scope, filters, today, sort);
  if (after) ids = ids.where(sql<SqlBool>`(a.due_date, a.id) > (${after.dueDate}::date, ${after.id})`);
  const rows = (await actionRows(viewer, scope, today, sort, ids.limit(limit + 1)).execute()).map(toListItem);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { dueDate: last.dueDate, id: last.id } : null };
}

// ── CSV export ───────────────────────────────────────────────────────────────────────────

export const ACTION_CSV_HEADER = [
  "Reference",
  "Title",
  "Classification",
  "Board",
  "Owner agency",
  "Supporting agencies",
  "Owner",
  "Due date",
  "Status",
  "RAG",
  "Raised at meeting on",
  "Description",
  "Outcome",
  "Latest update",
  "Latest update by",
  "Latest update at",
] as const;

const EXPORT_BATCH = 1_000;

function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/**
 * Every action the viewer may read that matches the filters, as CSV lines (RFC 4180, with
 * the formula-injection guard), in the order asked for, fetched in batches. Restricted rows
 * are exactly as on the page: "Restricted action", no description, outcome or update.
 * The caller adds the byte-order mark.
 */
export async function* csvForActions(
  viewer: Viewer,
  filters: ActionFilters,
  options: ListActionsOptions & { sort?: { sort: ActionSort; dir: SortDirection } } = {},
): AsyncGenerator<string> {
  const today = londonDate(options.now ?? new Date());
  const scope = actionScope(viewer);
  const sort = options.sort ?? { sort: ACTION_TABLE.defaultSort, dir: "asc" };
  yield csvLine(ACTION_CSV_HEADER);
  // Every matching id in order (one query), then the rows a batch of ids at a time, so a
  // long export costs one pass, not a sort per batch.
  const ids = (await orderedIds(viewer, scope, filters, today, sort).execute()).map((row) => Number(row.id));
  for (let start = 0; start < ids.length; start += EXPORT_BATCH) {
    const rows = await actionRows(viewer, scope, today, sort, ids.slice(start, start + EXPORT_BATCH))
      .select([
        unlessRestricted<string>(scope, sql.ref("a.description")).as("description"),
        unlessRestricted<string>(scope, sql.ref("a.outcome")).as("outcome"),
      ])
      .execute();
    let chunk = "";
    for (const row of rows) {
      const item = toListItem(row);
      chunk += csvLine([
        item.ref,
        item.title,
        item.classification === "official_sensitive" ? "OFFICIAL-SENSITIVE" : "OFFICIAL",
        item.board.name,
        item.ownerAgency.name,
        item.supportingAgencies.map((agency) => agency.name).join("; "),
        item.ownerPerson?.name ?? null,
        item.dueDate,
        ACTION_STATUS_LABELS[item.status],
        RAG_LABELS[item.rag],
        item.meeting ? londonDate(item.meeting.startsAt) : null,
        row.description || null,
        row.outcome,
        item.latestUpdate?.body ?? null,
        item.latestUpdate?.authorName ?? null,
        item.latestUpdate ? item.latestUpdate.at.toISOString() : null,
      ]);
    }
    if (chunk) yield chunk;
  }
}
