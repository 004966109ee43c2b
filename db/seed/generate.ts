import { tzOffset } from "@date-fns/tz";
import { type Kysely, sql } from "kysely";
import { refreshStaleRollups } from "../../app/costs/rollups.server";
import type { Engine } from "../client";
import type { AgencyType, BoardFrequency, BoardType, Database } from "../schema";
import { scopeToWorkspace } from "../tenancy";
import { createRandom } from "./random";

/*
 * Synthetic data at scale, for benchmarks: N meetings with ~10 attendance rows, ~5 agenda
 * items and ~1 action each, in a workspace of its own. Fast enough for 100,000 meetings
 * (a million attendance rows) on a small machine:
 * - ids are worked out here rather than returned by the database, so child rows can be
 *   built without reading anything back;
 * - rows go in as columns: `insert … select * from unnest($1::bigint[], $2::text[], …)`,
 *   one parameter per column and thousands of rows per statement;
 * - each statement commits on its own, and on PostgreSQL two run at once while the next
 *   batch is being built; the identity sequences are moved past the new ids at the end.
 */

export interface GenerateOptions {
  meetings: number;
  workspaceSlug?: string;
  seed?: number;
  engine: Engine;
  onProgress?: (message: string) => void;
}

const GENERATED_TABLES = [
  "agencies",
  "grades",
  "grade_rates",
  "people",
  "boards",
  "memberships",
  "meetings",
  "agenda_items",
  "attendance",
  "decisions",
  "actions",
  "action_updates",
  "minutes",
  "minute_items",
  "minute_versions",
] as const satisfies readonly (keyof Database)[];

export type GeneratedTable = (typeof GENERATED_TABLES)[number];

export interface GenerateSummary {
  workspaceId: number;
  workspaceSlug: string;
  seconds: number;
  /** Of `seconds`, the time refreshStaleRollups took to roll up every held meeting. */
  rollupSeconds: number;
  counts: Record<GeneratedTable, number>;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const LONDON = "Europe/London";

// ── Column-wise bulk loading ────────────────────────────────────────────────────────────

type PgType = "bigint" | "integer" | "text" | "timestamptz" | "date" | "numeric" | "boolean";
type Cell = string | number | boolean | null;
type Columns = readonly (readonly [name: string, type: PgType])[];

interface LoadSettings {
  batchRows: number;
  /** Statements in flight at once (PGlite has one connection, so 1 there). */
  concurrency: number;
}

/** Collects rows as columns and writes them with one unnest() insert per batch. */
class BulkLoader {
  private data: Cell[][];
  private pending = 0;
  private inFlight: Promise<void>[] = [];
  private failure: unknown = null;
  total = 0;

  constructor(
    private readonly db: Kysely<Database>,
    readonly table: GeneratedTable,
    private readonly columns: Columns,
    private readonly settings: LoadSettings,
  ) {
    this.data = columns.map(() => []);
  }

  push(row: readonly Cell[]): void {
    for (let i = 0; i < row.length; i++) (this.data[i] as Cell[]).push(row[i] as Cell);
    this.pending++;
  }

  /** Writes a batch when one is full; waits only when too many statements are in flight. */
  async flushIfFull(): Promise<void> {
    if (this.pending >= this.settings.batchRows) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending === 0) return;
    const data = this.data;
    this.total += this.pending;
    this.data = this.columns.map(() => []);
    this.pending = 0;
    const statement = sql`insert into ${sql.table(this.table)} (${sql.join(this.columns.map(([name]) => sql.ref(name)))})
      select * from unnest(${sql.join(this.columns.map(([, type], i) => sql`${data[i]}::${sql.raw(type)}[]`))})`;
    // Errors are kept and rethrown on the next wait, so none goes unhandled meanwhile.
    const running = statement
      .execute(this.db)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    this.inFlight.push(running);
    while (this.inFlight.length >= this.settings.concurrency) await this.inFlight.shift();
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<number> {
    await this.flush();
    await Promise.all(this.inFlight);
    this.inFlight = [];
    if (this.failure) throw this.failure;
    return this.total;
  }
}

// ── Vocabulary ──────────────────────────────────────────────────────────────────────────

const AREAS = ["Northshire", "Southdale", "Eastmoor", "Westfield", "Midvale"] as const;
const AGENCY_KINDS: readonly (readonly [AgencyType, string])[] = [
  ["probation", "Probation Delivery Unit"],
  ["police", "Police"],
  ["local_authority", "County Council"],
  ["health", "Integrated Care Board"],
];
const EXTRA_AGENCY_KINDS: readonly (readonly [AgencyType, string])[] = [
  ["fire", "Fire and Rescue Service"],
  ["prisons", "Prison"],
  ["courts", "Courts and Tribunals"],
  ["youth_justice", "Youth Justice Service"],
  ["voluntary", "Resettlement Trust"],
  ["local_authority", "City Council"],
];
const GRADES: readonly (readonly [string, number])[] = [
  ["Officer", 32_000],
  ["Senior Officer", 41_000],
  ["Manager", 52_000],
  ["Head of Service", 68_000],
];
const BOARD_KINDS: readonly (readonly [BoardType, string])[] = [
  ["lcjb", "Local Criminal Justice Board"],
  ["csp", "Community Safety Partnership"],
  ["reducing_reoffending", "Reducing Reoffending Board"],
  ["mappa_smb", "MAPPA Strategic Management Board"],
  ["youth_justice", "Youth Justice Management Board"],
  ["regional_group", "Regional Criminal Justice Group"],
  ["other", "Delivery Group"],
];
const FREQUENCIES: readonly (readonly [BoardFrequency, number])[] = [
  ["monthly", 5],
  ["bimonthly", 2],
  ["quarterly", 3],
  ["fortnightly", 1],
];
// biome-ignore format: a compact list of names
const FIRST = [
  "Alison", "Ben", "Claire", "David", "Emma", "Gareth", "Helen", "Ian", "Jane", "Karen", "Mark", "Nicola",
  "Paul", "Rachel", "Simon", "Susan",
];
// biome-ignore format: a compact list of names
const LAST = [
  "Bailey", "Carter", "Dixon", "Ellis", "Foster", "Hall", "Hughes", "Marsh", "Owen", "Parker", "Reid",
  "Shaw", "Turner", "Walker", "Ward", "Wood",
];
const ITEM_TITLES = [
  "Performance report",
  "Budget monitoring",
  "Risk register",
  "Partner updates",
  "Strategic assessment",
  "Accommodation on release",
  "Court timeliness",
  "Victims' Code compliance",
  "Serious violence duty",
  "Domestic abuse case file quality",
  "Youth diversion outcomes",
  "Substance misuse treatment",
  "Workforce and caseloads",
  "Data sharing agreement",
  "Inspection readiness",
];
const ACTION_TITLES = [
  "Share the latest data with partners",
  "Draft a joint protocol",
  "Report back on progress at the next meeting",
  "Write to the national team",
  "Arrange a partner workshop",
  "Review the referral pathway",
  "Update the risk register",
  "Circulate the revised strategy",
];
const UPDATES = ["Work started.", "Draft shared with partners.", "Chased partner for data.", "Complete."];

// ── The generator ───────────────────────────────────────────────────────────────────────

export async function generate(db: Kysely<Database>, options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const slug = options.workspaceSlug ?? "bench";
  const n = Math.floor(options.meetings);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error("meetings must be a whole number of 1 or more");
  const progress = options.onProgress ?? (() => {});
  const random = createRandom(options.seed ?? 1);
  const settings: LoadSettings =
    options.engine === "postgres"
      ? { batchRows: 10_000, concurrency: 2 }
      : { batchRows: 2_000, concurrency: 1 };
  const now = Date.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

  const existing = await db.selectFrom("workspaces").select("id").where("slug", "=", slug).executeTakeFirst();
  if (existing) throw new Error(`Workspace "${slug}" already exists; choose another slug.`);
  const { id: ws } = await db
    .insertInto("workspaces")
    .values({ slug, name: `Synthetic partnership (${n.toLocaleString("en-GB")} meetings)` })
    .returning("id")
    .executeTakeFirstOrThrow();

  // The first free id of each table: past both its rows and its sequence.
  const firstId = {} as Record<GeneratedTable, number>;
  for (const table of GENERATED_TABLES) {
    if (table === "minute_items") continue;
    const { rows } = await sql<{ last: number | string | null }>`
      select greatest(
        coalesce((select max(id) from ${sql.table(table)}), 0),
        coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0)
      ) as last`.execute(db);
    firstId[table] = Number(rows[0]?.last ?? 0) + 1;
  }
  const counts = Object.fromEntries(GENERATED_TABLES.map((t) => [t, 0])) as Record<GeneratedTable, number>;
  const loader = (table: GeneratedTable, columns: Columns) => new BulkLoader(db, table, columns, settings);
  const done = async (l: BulkLoader) => {
    counts[l.table] = await l.finish();
    progress(`${l.table}: ${counts[l.table].toLocaleString("en-GB")} rows (${seconds()} s)`);
  };

  // ── Agencies, rate cards, people ─────────────────────────────────────────────────────
  const agencyCount = 20;
  const agencyKinds = [...AGENCY_KINDS, ...EXTRA_AGENCY_KINDS];
  const agencies = loader("agencies", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["name", "text"],
    ["type", "text"],
  ]);
  const grades = loader("grades", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["agency_id", "bigint"],
    ["name", "text"],
    ["position", "integer"],
  ]);
  const rates = loader("grade_rates", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["grade_id", "bigint"],
    ["effective_from", "date"],
    ["annual_salary_pence", "bigint"],
  ]);
  const baseYear = new Date(now).getUTCFullYear() - 4;
  let rateId = firstId.grade_rates;
  for (let a = 0; a < agencyCount; a++) {
    const [type, label] = agencyKinds[a % agencyKinds.length] as (typeof agencyKinds)[number];
    const area = AREAS[Math.floor(a / agencyKinds.length) % AREAS.length] ?? "Northshire";
    agencies.push([ws, firstId.agencies + a, `${area} ${label} ${a + 1}`, type]);
    for (let g = 0; g < GRADES.length; g++) {
      const [name, pounds] = GRADES[g] as (typeof GRADES)[number];
      const gradeId = firstId.grades + a * GRADES.length + g;
      grades.push([ws, gradeId, firstId.agencies + a, name, g]);
      rates.push([ws, rateId++, gradeId, `${baseYear}-04-01`, pounds * 100]);
      // Half the agencies had a pay award, so costs depend on the meeting's date.
      if (a % 2 === 0)
        rates.push([ws, rateId++, gradeId, `${baseYear + 2}-09-01`, Math.round(pounds * 1.04) * 100]);
    }
  }
  await done(agencies);
  await done(grades);
  await done(rates);

  const peopleCount = Math.min(5_000, Math.max(200, Math.round(n / 50)));
  const personAgency = new Int32Array(peopleCount);
  const personTravel = new Int16Array(peopleCount);
  const peopleByAgency: number[][] = Array.from({ length: agencyCount }, () => []);
  const people = loader("people", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["agency_id", "bigint"],
    ["grade_id", "bigint"],
    ["full_name", "text"],
    ["email", "text"],
    ["job_title", "text"],
    ["usual_travel_minutes", "integer"],
  ]);
  const personRandom = random.fork("people");
  for (let p = 0; p < peopleCount; p++) {
    const a = p % agencyCount;
    const g = personRandom.int(0, GRADES.length - 1);
    personAgency[p] = a;
    personTravel[p] = personRandom.int(0, 60);
    peopleByAgency[a]?.push(p);
    const id = firstId.people + p;
    people.push([
      ws,
      id,
      firstId.agencies + a,
      firstId.grades + a * GRADES.length + g,
      `${personRandom.pick(FIRST)} ${personRandom.pick(LAST)}`,
      `person${id}@${slug}.example`,
      (GRADES[g] as (typeof GRADES)[number])[0],
      personTravel[p] ?? 0,
    ]);
    await people.flushIfFull();
  }
  await done(people);

  // ── Boards and memberships ───────────────────────────────────────────────────────────
  const boardCount = Math.max(10, Math.round(n / 400));
  const boardMembers: Int32Array[] = [];
  const boardDuration = new Int16Array(boardCount);
  const boards = loader("boards", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["name", "text"],
    ["slug", "text"],
    ["type", "text"],
    ["level", "text"],
    ["quorum", "integer"],
    ["default_duration_minutes", "integer"],
    ["preparation_minutes", "integer"],
    ["frequency", "text"],
  ]);
  const memberships = loader("memberships", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["board_id", "bigint"],
    ["person_id", "bigint"],
    ["agency_id", "bigint"],
    ["role", "text"],
    ["from_date", "date"],
  ]);
  const boardRandom = random.fork("boards");
  const joined = `${baseYear}-04-01`;
  let membershipId = firstId.memberships;
  for (let b = 0; b < boardCount; b++) {
    const [type, label] = BOARD_KINDS[b % BOARD_KINDS.length] as (typeof BOARD_KINDS)[number];
    const duration = boardRandom.pick([60, 90, 120, 150]);
    boardDuration[b] = duration;
    boards.push([
      ws,
      firstId.boards + b,
      `${AREAS[b % AREAS.length]} ${label} ${b + 1}`,
      `board-${b + 1}`,
      type,
      type === "regional_group" ? "regional" : "local",
      3,
      duration,
      boardRandom.pick([15, 30, 45, 60]),
      boardRandom.weighted(FREQUENCIES),
    ]);
    const size = boardRandom.int(8, 12);
    const chosen = new Set<number>();
    while (chosen.size < size) chosen.add(boardRandom.int(0, peopleCount - 1));
    const members = Int32Array.from(chosen);
    boardMembers.push(members);
    members.forEach((p, k) => {
      const role =
        k === 0
          ? "chair"
          : k === 1
            ? "secretary"
            : k === 2
              ? "vice_chair"
              : k === size - 1
                ? "observer"
                : "member";
      memberships.push([
        ws,
        membershipId++,
        firstId.boards + b,
        firstId.people + p,
        firstId.agencies + (personAgency[p] ?? 0),
        role,
        joined,
      ]);
    });
    await memberships.flushIfFull();
  }
  await done(boards);
  await done(memberships);

  // ── Meetings: three years back, 6% in the next six months ────────────────────────────
  const pastDays = 3 * 365;
  const futureDays = 183;
  const firstDayMs = Math.floor(now / DAY_MS) * DAY_MS - pastDays * DAY_MS;
  // London's offset from UTC for each day (at noon, well clear of the 01:00 change-over).
  const londonOffsetMs = new Float64Array(pastDays + futureDays + 1);
  for (let d = 0; d < londonOffsetMs.length; d++) {
    londonOffsetMs[d] = tzOffset(LONDON, new Date(firstDayMs + d * DAY_MS + 12 * 3_600_000)) * MINUTE_MS;
  }
  const futureCount = Math.round(n * 0.06);
  const meetingBoard = new Int32Array(n);
  const meetingStart = new Float64Array(n);
  const meetingStatus = new Uint8Array(n); // 0 held, 1 cancelled, 2 scheduled
  const agendaCount = new Uint8Array(n);
  const actionCount = new Uint8Array(n);
  const decisionCount = new Uint8Array(n);
  const meetingRandom = random.fork("meetings");
  const todayIndex = pastDays;
  for (let i = 0; i < n; i++) {
    const future = i >= n - futureCount;
    let day = future
      ? meetingRandom.int(todayIndex + 1, todayIndex + futureDays)
      : meetingRandom.int(0, todayIndex - 1);
    const weekday = new Date(firstDayMs + day * DAY_MS).getUTCDay();
    if (weekday === 6) day -= 1;
    if (weekday === 0) day += future ? 1 : -2;
    const minuteOfDay = meetingRandom.pick([540, 570, 600, 780, 840]);
    const start = firstDayMs + day * DAY_MS + minuteOfDay * MINUTE_MS - (londonOffsetMs[day] ?? 0);
    meetingBoard[i] = meetingRandom.int(0, boardCount - 1);
    meetingStart[i] = start;
    const status = start >= now ? (meetingRandom.chance(0.02) ? 1 : 2) : meetingRandom.chance(0.05) ? 1 : 0;
    meetingStatus[i] = status;
    agendaCount[i] = meetingRandom.int(4, 6);
    if (status === 0) {
      actionCount[i] = meetingRandom.weighted([
        [0, 15],
        [1, 50],
        [2, 35],
      ]);
      decisionCount[i] = meetingRandom.weighted([
        [0, 40],
        [1, 45],
        [2, 15],
      ]);
    }
  }
  // Ids in date order, so a board's meetings read naturally by id too.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => (meetingStart[x] ?? 0) - (meetingStart[y] ?? 0),
  );
  const reorder = <T extends Int32Array | Float64Array | Uint8Array>(values: T): T => {
    const copy = values.slice() as T;
    order.forEach((from, to) => {
      copy[to] = values[from] ?? 0;
    });
    return copy;
  };
  const board = reorder(meetingBoard);
  const start = reorder(meetingStart);
  const status = reorder(meetingStatus);
  const agendaPerMeeting = reorder(agendaCount);
  const actionsPerMeeting = reorder(actionCount);
  const decisionsPerMeeting = reorder(decisionCount);
  const meetingId = (i: number) => firstId.meetings + i;
  const boardOf = (i: number) => board[i] ?? 0;
  const durationOf = (i: number) => boardDuration[boardOf(i)] ?? 90;
  const iso = (ms: number) => new Date(ms).toISOString();
  const dateOf = (ms: number) =>
    iso(ms + (londonOffsetMs[Math.floor((ms - firstDayMs) / DAY_MS)] ?? 0)).slice(0, 10);

  const meetings = loader("meetings", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["board_id", "bigint"],
    ["starts_at", "timestamptz"],
    ["duration_minutes", "integer"],
    ["format", "text"],
    ["location", "text"],
    ["catering_cost_pence", "bigint"],
    ["status", "text"],
    ["cancelled_reason", "text"],
  ]);
  const formatRandom = random.fork("format");
  const meetingFormat = new Uint8Array(n); // 0 in person, 1 virtual, 2 hybrid
  for (let i = 0; i < n; i++) {
    const format = formatRandom.weighted([
      [0, 3],
      [1, 5],
      [2, 2],
    ]);
    meetingFormat[i] = format;
    const s = status[i] ?? 0;
    meetings.push([
      ws,
      meetingId(i),
      firstId.boards + boardOf(i),
      iso(start[i] ?? 0),
      durationOf(i),
      format === 0 ? "in_person" : format === 1 ? "virtual" : "hybrid",
      format === 1
        ? "Microsoft Teams"
        : `Meeting Room ${formatRandom.int(1, 9)}, ${AREAS[boardOf(i) % AREAS.length]} House`,
      format === 1 ? 0 : formatRandom.pick([0, 3_000, 6_500]),
      s === 0 ? "held" : s === 1 ? "cancelled" : "scheduled",
      s === 1 ? "Not quorate: too many apologies received" : null,
    ]);
    await meetings.flushIfFull();
  }
  await done(meetings);

  // ── Agenda items ─────────────────────────────────────────────────────────────────────
  const agendaFirst = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) agendaFirst[i + 1] = (agendaFirst[i] ?? 0) + (agendaPerMeeting[i] ?? 0);
  const agendaId = (i: number, k: number) => firstId.agenda_items + (agendaFirst[i] ?? 0) + k;
  const items = loader("agenda_items", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["meeting_id", "bigint"],
    ["position", "integer"],
    ["title", "text"],
    ["purpose", "text"],
    ["presenter_person_id", "bigint"],
    ["minutes_allowed", "integer"],
    ["classification", "text"],
    ["standing_kind", "text"],
  ]);
  const itemRandom = random.fork("agenda");
  for (let i = 0; i < n; i++) {
    const members = boardMembers[boardOf(i)] as Int32Array;
    const chair = firstId.people + (members[0] ?? 0);
    items.push([
      ws,
      agendaId(i, 0),
      meetingId(i),
      0,
      "Minutes of the previous meeting",
      "decision",
      chair,
      5,
      "official",
      "previous_minutes",
    ]);
    items.push([
      ws,
      agendaId(i, 1),
      meetingId(i),
      1,
      "Action log review",
      "discussion",
      chair,
      10,
      "official",
      "action_log_review",
    ]);
    for (let k = 2; k < (agendaPerMeeting[i] ?? 0); k++) {
      items.push([
        ws,
        agendaId(i, k),
        meetingId(i),
        k,
        itemRandom.pick(ITEM_TITLES),
        itemRandom.weighted([
          ["information", 45],
          ["discussion", 35],
          ["decision", 20],
        ]),
        firstId.people + itemRandom.pick(Array.from(members)),
        itemRandom.pick([10, 15, 20, 30]),
        itemRandom.chance(0.1) ? "official_sensitive" : "official",
        null,
      ]);
    }
    await items.flushIfFull();
  }
  await done(items);

  // ── Attendance: one row per board member ─────────────────────────────────────────────
  const attendance = loader("attendance", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["meeting_id", "bigint"],
    ["person_id", "bigint"],
    ["status", "text"],
    ["deputy_person_id", "bigint"],
    ["minutes_present", "integer"],
    ["mode", "text"],
    ["travel_minutes", "integer"],
    ["miles", "numeric"],
    ["other_expenses_pence", "bigint"],
  ]);
  const attendanceRandom = random.fork("attendance");
  let attendanceId = firstId.attendance;
  for (let i = 0; i < n; i++) {
    const s = status[i] ?? 0;
    const format = meetingFormat[i] ?? 0;
    for (const p of boardMembers[boardOf(i)] as Int32Array) {
      let state = "invited";
      let deputy: number | null = null;
      if (s === 0) {
        state = attendanceRandom.weighted([
          ["attended", 76],
          ["apologies", 12],
          ["deputy", 6],
          ["absent", 6],
        ]);
        if (state === "deputy") {
          const colleagues = peopleByAgency[personAgency[p] ?? 0] ?? [];
          const d = attendanceRandom.pick(colleagues);
          if (d === p) state = "apologies";
          else deputy = firstId.people + d;
        }
      }
      const present = state === "attended" || state === "deputy" || state === "invited";
      const remote = format === 1 || (format === 2 && attendanceRandom.chance(0.4));
      const travel = present && !remote ? (personTravel[p] ?? 0) : 0;
      attendance.push([
        ws,
        attendanceId++,
        meetingId(i),
        firstId.people + p,
        state,
        deputy,
        s === 0 && present && attendanceRandom.chance(0.08) ? durationOf(i) - 30 : null,
        remote ? "remote" : "in_person",
        travel,
        Math.round(travel * 5) / 10,
        travel > 0 && attendanceRandom.chance(0.1) ? 600 : 0,
      ]);
    }
    await attendance.flushIfFull();
  }
  await done(attendance);

  // ── Decisions ────────────────────────────────────────────────────────────────────────
  const decisions = loader("decisions", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["board_id", "bigint"],
    ["meeting_id", "bigint"],
    ["agenda_item_id", "bigint"],
    ["text", "text"],
    ["created_at", "timestamptz"],
  ]);
  const decisionRandom = random.fork("decisions");
  let decisionId = firstId.decisions;
  for (let i = 0; i < n; i++) {
    const end = iso((start[i] ?? 0) + durationOf(i) * MINUTE_MS);
    for (let k = 0; k < (decisionsPerMeeting[i] ?? 0); k++) {
      const item = decisionRandom.int(2, (agendaPerMeeting[i] ?? 3) - 1);
      decisions.push([
        ws,
        decisionId++,
        firstId.boards + boardOf(i),
        meetingId(i),
        agendaId(i, item),
        `The board agreed the recommendation on ${decisionRandom.pick(ITEM_TITLES).toLowerCase()}.`,
        end,
      ]);
    }
    await decisions.flushIfFull();
  }
  await done(decisions);

  // ── Actions, then their progress updates ─────────────────────────────────────────────
  const totalActions = actionsPerMeeting.reduce((sum, c) => sum + c, 0);
  const actionStatus = new Uint8Array(totalActions); // 0 open, 1 in progress, 2 done, 3 dropped
  const actionRaised = new Float64Array(totalActions);
  const actionFinished = new Float64Array(totalActions);
  const actions = loader("actions", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["board_id", "bigint"],
    ["meeting_id", "bigint"],
    ["agenda_item_id", "bigint"],
    ["title", "text"],
    ["owner_agency_id", "bigint"],
    ["owner_person_id", "bigint"],
    ["due_date", "date"],
    ["status", "text"],
    ["completed_at", "timestamptz"],
    ["created_at", "timestamptz"],
  ]);
  const actionRandom = random.fork("actions");
  const statusNames = ["open", "in_progress", "done", "dropped"] as const;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const raised = (start[i] ?? 0) + durationOf(i) * MINUTE_MS;
    const members = boardMembers[boardOf(i)] as Int32Array;
    for (let k = 0; k < (actionsPerMeeting[i] ?? 0); k++) {
      const owner = actionRandom.pick(Array.from(members));
      const due = raised + actionRandom.pick([28, 42, 56, 84]) * DAY_MS;
      const overdue = due < now;
      const state = overdue
        ? actionRandom.weighted([
            [2, 65],
            [3, 8],
            [1, 15],
            [0, 12],
          ])
        : actionRandom.weighted([
            [0, 50],
            [1, 35],
            [2, 15],
          ]);
      const finished =
        state >= 2 ? Math.min(now, raised + actionRandom.next() * (due + 7 * DAY_MS - raised)) : 0;
      actionStatus[a] = state;
      actionRaised[a] = raised;
      actionFinished[a] = finished;
      actions.push([
        ws,
        firstId.actions + a,
        firstId.boards + boardOf(i),
        meetingId(i),
        agendaId(i, actionRandom.int(1, (agendaPerMeeting[i] ?? 2) - 1)),
        actionRandom.pick(ACTION_TITLES),
        firstId.agencies + (personAgency[owner] ?? 0),
        firstId.people + owner,
        dateOf(due),
        statusNames[state] ?? "open",
        state >= 2 ? iso(finished) : null,
        iso(raised),
      ]);
      a++;
    }
    await actions.flushIfFull();
  }
  await done(actions);

  const updates = loader("action_updates", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["action_id", "bigint"],
    ["author_name", "text"],
    ["body", "text"],
    ["status_to", "text"],
    ["created_at", "timestamptz"],
  ]);
  const updateRandom = random.fork("updates");
  let updateId = firstId.action_updates;
  for (let x = 0; x < totalActions; x++) {
    const state = actionStatus[x] ?? 0;
    const raised = actionRaised[x] ?? 0;
    const finished = actionFinished[x] ?? 0;
    const until = state >= 2 ? finished : now;
    const id = firstId.actions + x;
    const name = `${updateRandom.pick(FIRST)} ${updateRandom.pick(LAST)}`;
    if (state === 0) {
      if (updateRandom.chance(0.4))
        updates.push([
          ws,
          updateId++,
          id,
          name,
          "Chased partner for data.",
          null,
          iso(raised + updateRandom.next() * (now - raised)),
        ]);
    } else {
      const startedAt = raised + updateRandom.next() * (until - raised) * 0.5;
      updates.push([ws, updateId++, id, name, updateRandom.pick(UPDATES), "in_progress", iso(startedAt)]);
      if (state >= 2)
        updates.push([
          ws,
          updateId++,
          id,
          name,
          state === 2 ? "Complete." : "Dropped: superseded.",
          statusNames[state] ?? "done",
          iso(finished),
        ]);
    }
    await updates.flushIfFull();
  }
  await done(updates);

  // ── Minutes of held meetings, by age: draft, circulated, approved, published ────────
  const minutes = loader("minutes", [
    ["workspace_id", "bigint"],
    ["id", "bigint"],
    ["meeting_id", "bigint"],
    ["status", "text"],
    ["version", "integer"],
    ["circulated_at", "timestamptz"],
    ["approved_at", "timestamptz"],
    ["published_at", "timestamptz"],
    ["created_at", "timestamptz"],
  ]);
  let minutesId = firstId.minutes;
  for (let i = 0; i < n; i++) {
    if (status[i] !== 0) continue;
    const end = (start[i] ?? 0) + durationOf(i) * MINUTE_MS;
    const age = (now - end) / DAY_MS;
    const circulated = age >= 7 ? end + 5 * DAY_MS : null;
    const approved = age >= 35 ? end + 30 * DAY_MS : null;
    const published = age >= 60 ? end + 37 * DAY_MS : null;
    const state = published ? "published" : approved ? "approved" : circulated ? "circulated" : "draft";
    minutes.push([
      ws,
      minutesId,
      meetingId(i),
      state,
      1 + (circulated ? 1 : 0) + (approved ? 1 : 0) + (published ? 1 : 0),
      circulated === null ? null : iso(circulated),
      approved === null ? null : iso(approved),
      published === null ? null : iso(published),
      iso(Math.min(now, end + DAY_MS)),
    ]);
    minutesId++;
    await minutes.flushIfFull();
  }
  await done(minutes);

  // Their text, once every minutes row is committed (a batch must not refer to rows in flight).
  const minuteItems = loader("minute_items", [
    ["workspace_id", "bigint"],
    ["minutes_id", "bigint"],
    ["agenda_item_id", "bigint"],
    ["discussion", "text"],
  ]);
  const minutesRandom = random.fork("minutes");
  minutesId = firstId.minutes;
  for (let i = 0; i < n; i++) {
    if (status[i] !== 0) continue;
    for (let k = 0; k < (agendaPerMeeting[i] ?? 0); k++) {
      const text =
        k === 0
          ? "The minutes of the previous meeting were agreed as an accurate record."
          : minutesRandom.pick([
              "The report was noted.",
              "Members discussed the paper and agreed next steps.",
              "Partners agreed to share data before the next meeting.",
            ]);
      minuteItems.push([ws, minutesId, agendaId(i, k), text]);
    }
    minutesId++;
    await minuteItems.flushIfFull();
  }
  await done(minuteItems);

  // The published version of each published minutes (what the public pages and feeds read:
  // decision 010), built in SQL from the rows just loaded, in the shape of MinutesSnapshot
  // (app/minutes/snapshot.ts).
  const published = await sql`
    insert into minute_versions (workspace_id, minutes_id, version, status, snapshot, created_at)
    select mn.workspace_id, mn.id, mn.version, 'published', jsonb_build_object(
      'meeting', jsonb_build_object('id', m.id, 'boardId', b.id, 'boardName', b.name,
        'startsAt', to_char(m.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'durationMinutes', m.duration_minutes, 'format', m.format, 'location', m.location),
      'attendance', (
        select jsonb_build_object(
          'present', coalesce(jsonb_agg(jsonb_build_object('name', coalesce(d.full_name, p.full_name),
              'agency', ag.name, 'remote', a.mode = 'remote', 'deputyFor', case when d.id is null then null else p.full_name end)
              order by coalesce(d.full_name, p.full_name)) filter (where a.status in ('attended', 'deputy')), '[]'),
          'apologies', coalesce(jsonb_agg(jsonb_build_object('name', p.full_name, 'agency', ag.name)
              order by p.full_name) filter (where a.status = 'apologies'), '[]'),
          'absent', coalesce(jsonb_agg(jsonb_build_object('name', p.full_name, 'agency', ag.name)
              order by p.full_name) filter (where a.status = 'absent'), '[]'))
        from attendance a
        join people p on p.workspace_id = a.workspace_id and p.id = a.person_id
        join agencies ag on ag.workspace_id = p.workspace_id and ag.id = p.agency_id
        left join people d on d.workspace_id = a.workspace_id and d.id = a.deputy_person_id
        where a.workspace_id = m.workspace_id and a.meeting_id = m.id),
      'declarations', '[]'::jsonb,
      'items', (
        select coalesce(jsonb_agg(jsonb_build_object('agendaItemId', ai.id, 'position', ai.position,
          'title', ai.title, 'classification', ai.classification, 'discussion', coalesce(mi.discussion, ''),
          'declarations', '[]'::jsonb,
          'decisions', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'text', x.text) order by x.id), '[]')
            from decisions x where x.workspace_id = ai.workspace_id and x.meeting_id = m.id and x.agenda_item_id = ai.id),
          'actions', (select coalesce(jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title,
              'classification', x.classification, 'ownerAgency', oa.name, 'ownerPerson', op.full_name,
              'dueDate', x.due_date::text) order by x.id), '[]')
            from actions x
            join agencies oa on oa.workspace_id = x.workspace_id and oa.id = x.owner_agency_id
            left join people op on op.workspace_id = x.workspace_id and op.id = x.owner_person_id
            where x.workspace_id = ai.workspace_id and x.meeting_id = m.id and x.agenda_item_id = ai.id)
        ) order by ai.position, ai.id), '[]')
        from agenda_items ai
        left join minute_items mi on mi.workspace_id = ai.workspace_id and mi.minutes_id = mn.id and mi.agenda_item_id = ai.id
        where ai.workspace_id = m.workspace_id and ai.meeting_id = m.id),
      'approval', jsonb_build_object(
        'approvedAt', to_char(mn.approved_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'atMeeting', null)
    ), mn.published_at
    from minutes mn
    join meetings m on m.workspace_id = mn.workspace_id and m.id = mn.meeting_id
    join boards b on b.workspace_id = m.workspace_id and b.id = m.board_id
    where mn.workspace_id = ${ws} and mn.status = 'published'
  `.execute(db);
  counts.minute_versions = Number(published.numAffectedRows ?? 0);
  progress(`minute_versions: ${counts.minute_versions.toLocaleString("en-GB")} rows (${seconds()} s)`);

  // Move each identity sequence past the ids used here, so plain inserts keep working.
  for (const table of GENERATED_TABLES) {
    if (table === "minute_items") continue;
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
      db,
    );
  }
  // Fresh statistics, so benchmark queries are planned for the data that is there.
  await sql.raw(`analyze ${GENERATED_TABLES.join(", ")}`).execute(db);
  progress(`sequences advanced and tables analysed (${seconds()} s)`);

  // Roll up every held meeting now (the triggers marked nothing: no rollups existed), so the
  // first dashboard read does not pay for it; then their statistics too.
  const rollupsStarted = performance.now();
  await refreshStaleRollups(scopeToWorkspace(db, ws));
  await sql`analyze meeting_rollups, meeting_agency_rollups`.execute(db);
  const rollupSeconds = Number(((performance.now() - rollupsStarted) / 1000).toFixed(1));
  progress(`meeting rollups: ${rollupSeconds} s (${seconds()} s)`);

  return { workspaceId: ws, workspaceSlug: slug, seconds: Number(seconds()), rollupSeconds, counts };
}
