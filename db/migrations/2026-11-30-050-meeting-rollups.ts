import { type Kysely, sql } from "kysely";

/*
 * Meeting rollups (issue 7; the contract is docs/cost-model.md "Rollups").
 *
 * Per-meeting figures are materialised so that dashboards over ~100,000 meetings answer
 * quickly. The cost model itself is NOT written here: these triggers only mark a rollup
 * stale, and app/costs/rollups.server.ts recomputes stale and newly held meetings with the
 * one cost model (app/costs/costs.server.ts) before anything reads them.
 *
 * - meeting_rollups: one row per held meeting (not cancelled, start in the past).
 * - meeting_agency_rollups: per meeting and agency, of those invited or costed.
 * - workspaces.rollups_complete_until: every held meeting that started before this instant
 *   has a rollup row (perhaps stale). A meeting inserted, re-instated or moved to before it
 *   lowers it; a refresh rolls up the meetings started since and moves it to its own start.
 *   So a scheduled meeting becomes "held" by the clock alone without any scan of all meetings.
 * - meeting_feedback.updated_at: an attendee may change their answer (the form edits it).
 *
 * The triggers are statement-level with transition tables, so a bulk insert (the generator,
 * an import) marks rollups in one set-based statement, not row by row.
 */

const ws = "workspace_id bigint not null references workspaces (id) on delete cascade";

/** Marks stale the rollups of the (workspace_id, meeting_id) pairs in `source`. */
const markMeetings = (source: string) => `
  update meeting_rollups r set stale = true
  from (select distinct workspace_id, meeting_id from ${source} s where s.meeting_id is not null) c
  where r.workspace_id = c.workspace_id and r.meeting_id = c.meeting_id and not r.stale;`;

/**
 * Marks stale a board's rollups held on day `d` and on the board's next held day after it:
 * the meetings whose "actions completed since the previous meeting" a change on `d` moves.
 * `source` has workspace_id, board_id and d.
 */
const markBoardFrom = (source: string) => `
  update meeting_rollups r set stale = true
  from (select distinct workspace_id, board_id, d from ${source} s where s.d is not null) c
  where r.workspace_id = c.workspace_id and r.board_id = c.board_id and not r.stale
    and r.held_on >= c.d
    and r.held_on <= coalesce((
      select min(n.held_on) from meeting_rollups n
      where n.workspace_id = c.workspace_id and n.board_id = c.board_id and n.held_on > c.d
    ), c.d);`;

/** Marks stale the rollups of meetings where a person in `source` (workspace_id, person_id, from_date) was costed. */
const markPeople = (source: string) => `
  update meeting_rollups r set stale = true
  from (
    select a.workspace_id, a.meeting_id, c.from_date
    from (select distinct workspace_id, person_id, from_date from ${source} s) c
    join attendance a on a.workspace_id = c.workspace_id and a.person_id = c.person_id
      and a.status = 'attended'
    union
    select a.workspace_id, a.meeting_id, c.from_date
    from (select distinct workspace_id, person_id, from_date from ${source} s) c
    join attendance a on a.workspace_id = c.workspace_id and a.deputy_person_id = c.person_id
  ) x
  where r.workspace_id = x.workspace_id and r.meeting_id = x.meeting_id and not r.stale
    and r.held_on >= x.from_date;`;

/**
 * A trigger function that runs `body(source)` for the rows a statement touched: the new
 * rows of an insert, the old of a delete, and for an update both the old and the new rows
 * of those where `changed` (comparing `n`, new, with `o`, old) holds.
 */
function triggerFunction(name: string, body: (source: string) => string, changed = "true"): string {
  const updated = (side: "n" | "o") =>
    `(select ${side}.* from new_rows n join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id where ${changed})`;
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'INSERT' then
        ${body("new_rows")}
      elsif TG_OP = 'DELETE' then
        ${body("old_rows")}
      else
        ${body(updated("n"))}
        ${body(updated("o"))}
      end if;
      return null;
    end $$`;
}

/** The three statement-level triggers (a trigger with transition tables has one event). */
function triggersOn(table: string, fn: string): string[] {
  return [
    `create trigger ${table}_rollups_ins after insert on ${table}
      referencing new table as new_rows for each statement execute function ${fn}()`,
    `create trigger ${table}_rollups_upd after update on ${table}
      referencing old table as old_rows new table as new_rows for each statement execute function ${fn}()`,
    `create trigger ${table}_rollups_del after delete on ${table}
      referencing old table as old_rows for each statement execute function ${fn}()`,
  ];
}

const LONDON_DATE = (column: string) => `(${column} at time zone 'Europe/London')::date`;

const statements: string[] = [
  `create table meeting_rollups (
    ${ws},
    meeting_id bigint not null,
    board_id bigint not null,
    held_on date not null,
    cost_pence bigint not null,
    person_minutes integer not null,
    invited integer not null,
    attended integer not null,
    apologies integer not null,
    absent integer not null,
    deputies integer not null,
    agencies_present integer not null,
    quorum integer not null,
    quorum_met boolean not null,
    items integer not null,
    information_items integer not null,
    decisions integer not null,
    actions_raised integer not null,
    actions_completed_since_previous integer not null,
    outcomes integer not null,
    feedback_count integer not null,
    feedback_average numeric(3,2),
    verdict text not null check (verdict in ('worth_holding', 'review', 'consider_stopping')),
    reasons jsonb not null,
    stale boolean not null default false,
    refreshed_at timestamptz,
    primary key (workspace_id, meeting_id),
    foreign key (workspace_id, meeting_id) references meetings (workspace_id, id) on delete cascade,
    foreign key (workspace_id, board_id) references boards (workspace_id, id) on delete cascade
  )`,
  "create index meeting_rollups_held_idx on meeting_rollups (workspace_id, held_on)",
  "create index meeting_rollups_board_idx on meeting_rollups (workspace_id, board_id, held_on)",
  "create index meeting_rollups_verdict_idx on meeting_rollups (workspace_id, verdict, held_on)",
  "create index meeting_rollups_stale_idx on meeting_rollups (workspace_id) where stale",
  `create table meeting_agency_rollups (
    ${ws},
    meeting_id bigint not null,
    agency_id bigint not null,
    board_id bigint not null,
    held_on date not null,
    invited integer not null,
    attended integer not null,
    apologies integer not null,
    absent integer not null,
    deputies integer not null,
    person_minutes integer not null,
    cost_pence bigint not null,
    primary key (workspace_id, meeting_id, agency_id),
    foreign key (workspace_id, meeting_id) references meeting_rollups (workspace_id, meeting_id) on delete cascade,
    foreign key (workspace_id, agency_id) references agencies (workspace_id, id) on delete cascade
  )`,
  "create index meeting_agency_rollups_agency_idx on meeting_agency_rollups (workspace_id, agency_id, held_on)",
  "create index meeting_agency_rollups_held_idx on meeting_agency_rollups (workspace_id, held_on)",
  "alter table workspaces add column rollups_complete_until timestamptz",
  "alter table meeting_feedback add column updated_at timestamptz not null default now()",
  // The rate-history trigger finds who held a grade; a costed person is found by attendance.
  "create index people_grade_idx on people (workspace_id, grade_id) where grade_id is not null",

  // ── Rows that belong to one meeting ──────────────────────────────────────────────────
  triggerFunction("meeting_rollups_mark_by_meeting", markMeetings),
  ...["attendance", "agenda_items", "decisions", "meeting_feedback"].flatMap((t) =>
    triggersOn(t, "meeting_rollups_mark_by_meeting"),
  ),

  // ── Meetings: their own rollup, the board's next meeting, and the watermark ──────────
  triggerFunction(
    "meeting_rollups_mark_meetings",
    (source) => `
      ${markMeetings(`(select workspace_id, id as meeting_id from ${source} x) `)}
      ${markBoardFrom(`(select workspace_id, board_id, ${LONDON_DATE("starts_at")} as d from ${source} x)`)}
      update workspaces w set rollups_complete_until = c.earliest
      from (
        select workspace_id, min(starts_at) as earliest from ${source} x
        where status <> 'cancelled' group by workspace_id
      ) c
      where w.id = c.workspace_id and w.rollups_complete_until > c.earliest;`,
    "(n.starts_at, n.duration_minutes, n.status, n.venue_cost_pence, n.catering_cost_pence, n.board_id) is distinct from (o.starts_at, o.duration_minutes, o.status, o.venue_cost_pence, o.catering_cost_pence, o.board_id)",
  ),
  ...triggersOn("meetings", "meeting_rollups_mark_meetings"),

  // ── Actions: raised at a meeting; completed before a board's next meeting ─────────────
  triggerFunction(
    "meeting_rollups_mark_actions",
    (source) => `
      ${markMeetings(`(select workspace_id, meeting_id from ${source} x)`)}
      ${markBoardFrom(`(select workspace_id, board_id, ${LONDON_DATE("completed_at")} as d from ${source} x where status = 'done')`)}`,
    "(n.meeting_id, n.board_id, n.status, n.completed_at) is distinct from (o.meeting_id, o.board_id, o.status, o.completed_at)",
  ),
  ...triggersOn("actions", "meeting_rollups_mark_actions"),

  // ── Rates: a grade's salary from a date; a person's grade or agency ──────────────────
  triggerFunction("meeting_rollups_mark_grade_rates", (source) =>
    markPeople(`(
        select p.workspace_id, p.id as person_id, x.effective_from as from_date
        from ${source} x join people p on p.workspace_id = x.workspace_id and p.grade_id = x.grade_id
      )`),
  ),
  ...triggersOn("grade_rates", "meeting_rollups_mark_grade_rates"),
  triggerFunction(
    "meeting_rollups_mark_people",
    (source) =>
      markPeople(`(select workspace_id, id as person_id, '-infinity'::date as from_date from ${source} x)`),
    "(n.grade_id, n.agency_id) is distinct from (o.grade_id, o.agency_id)",
  ),
  // People are never deleted while they have attendance (foreign keys); inserts cost nothing.
  `create trigger people_rollups_upd after update on people
    referencing old table as old_rows new table as new_rows for each statement
    execute function meeting_rollups_mark_people()`,

  // ── Agencies' on-cost, overhead and mileage ──────────────────────────────────────────
  `create function meeting_rollups_mark_agencies() returns trigger language plpgsql as $$
    begin
      update meeting_rollups r set stale = true
      from meeting_agency_rollups mar
      join new_rows n on n.workspace_id = mar.workspace_id and n.id = mar.agency_id
      join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id
      where (n.on_cost_pct, n.overhead_pct, n.mileage_pence) is distinct from (o.on_cost_pct, o.overhead_pct, o.mileage_pence)
        and r.workspace_id = mar.workspace_id and r.meeting_id = mar.meeting_id and not r.stale;
      return null;
    end $$`,
  `create trigger agencies_rollups_upd after update on agencies
    referencing old table as old_rows new table as new_rows for each statement
    execute function meeting_rollups_mark_agencies()`,

  // ── Boards' preparation time and quorum ──────────────────────────────────────────────
  `create function meeting_rollups_mark_boards() returns trigger language plpgsql as $$
    begin
      update meeting_rollups r set stale = true
      from new_rows n join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id
      where (n.preparation_minutes, n.quorum) is distinct from (o.preparation_minutes, o.quorum)
        and r.workspace_id = n.workspace_id and r.board_id = n.id and not r.stale;
      return null;
    end $$`,
  `create trigger boards_rollups_upd after update on boards
    referencing old table as old_rows new table as new_rows for each statement
    execute function meeting_rollups_mark_boards()`,

  // ── Workspace settings: the cost model's defaults and the verdict thresholds ─────────
  `create function meeting_rollups_mark_workspaces() returns trigger language plpgsql as $$
    begin
      update meeting_rollups r set stale = true
      from new_rows n join old_rows o on o.id = n.id
      where (n.annual_working_hours, n.default_on_cost_pct, n.default_overhead_pct, n.default_mileage_pence,
             n.review_cost_per_outcome_pence, n.stop_information_share_pct, n.review_attendance_share_pct)
        is distinct from
            (o.annual_working_hours, o.default_on_cost_pct, o.default_overhead_pct, o.default_mileage_pence,
             o.review_cost_per_outcome_pence, o.stop_information_share_pct, o.review_attendance_share_pct)
        and r.workspace_id = n.id and not r.stale;
      return null;
    end $$`,
  `create trigger workspaces_rollups_upd after update on workspaces
    referencing old table as old_rows new table as new_rows for each statement
    execute function meeting_rollups_mark_workspaces()`,
];

const TRIGGERS: [string, string[]][] = [
  ["attendance", ["ins", "upd", "del"]],
  ["agenda_items", ["ins", "upd", "del"]],
  ["decisions", ["ins", "upd", "del"]],
  ["meeting_feedback", ["ins", "upd", "del"]],
  ["meetings", ["ins", "upd", "del"]],
  ["actions", ["ins", "upd", "del"]],
  ["grade_rates", ["ins", "upd", "del"]],
  ["people", ["upd"]],
  ["agencies", ["upd"]],
  ["boards", ["upd"]],
  ["workspaces", ["upd"]],
];

const FUNCTIONS = [
  "meeting_rollups_mark_by_meeting",
  "meeting_rollups_mark_meetings",
  "meeting_rollups_mark_actions",
  "meeting_rollups_mark_grade_rates",
  "meeting_rollups_mark_people",
  "meeting_rollups_mark_agencies",
  "meeting_rollups_mark_boards",
  "meeting_rollups_mark_workspaces",
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, events] of TRIGGERS) {
    for (const event of events)
      await sql.raw(`drop trigger if exists ${table}_rollups_${event} on ${table}`).execute(db);
  }
  for (const fn of FUNCTIONS) await sql.raw(`drop function if exists ${fn}()`).execute(db);
  await sql`drop index if exists people_grade_idx`.execute(db);
  await sql`alter table meeting_feedback drop column if exists updated_at`.execute(db);
  await sql`alter table workspaces drop column if exists rollups_complete_until`.execute(db);
  await sql`drop table if exists meeting_agency_rollups`.execute(db);
  await sql`drop table if exists meeting_rollups`.execute(db);
}
