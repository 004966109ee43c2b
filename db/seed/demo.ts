import { TZDate, tz } from "@date-fns/tz";
import { hash } from "@node-rs/argon2";
import { addDays, addMinutes, addMonths, min as earliest, format, max as latest } from "date-fns";
import { type InsertObject, type Kysely, sql } from "kysely";
import type { MinutesSnapshot } from "../../app/minutes/snapshot";
import type {
  ActionStatus,
  AgencyType,
  AgendaPurpose,
  AttendanceMode,
  AttendanceStatus,
  BoardFrequency,
  BoardLevel,
  BoardType,
  Classification,
  Database,
  MeetingFormat,
  MeetingStatus,
  MembershipRole,
  MinutesStatus,
  Rag,
  Role,
  StandingKind,
} from "../schema";
import { createRandom, type Random } from "./random";

/*
 * The demo partnership: a fictional county's criminal justice boards with two years of
 * meetings, registers, minutes and actions, so every screen and dashboard has something
 * real-looking to show. Deterministic: the same `now` gives the same rows.
 */

export const DEMO_PASSWORD = "boardledger-demo";
export const DEMO_WORKSPACE_SLUG = "demo";
const DEMO_SEED = 20_261_123;
const LONDON = "Europe/London";
const inLondon = tz(LONDON);
const BATCH = 500;

export interface DemoAccount {
  email: string;
  role: Role;
  description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: "admin@demo.test",
    role: "admin",
    description: "Workspace admin: agencies, rate cards, people, users",
  },
  { email: "leader@demo.test", role: "leader", description: "Leader: every board and the cost dashboards" },
  {
    email: "secretary@demo.test",
    role: "secretary",
    description: "Secretary of the Northshire Local Criminal Justice Board",
  },
  {
    email: "member@demo.test",
    role: "member",
    description: "Member of the Northshire Local Criminal Justice Board",
  },
  { email: "partner@demo.test", role: "partner", description: "Partner officer for Northshire Police" },
];

/** Which seeded person each demo account is, and the board or agency its grant is for. */
const ACCOUNT_LINKS: Record<string, { person: string; board?: string; agency?: string }> = {
  "admin@demo.test": { person: "opcc-support" },
  "leader@demo.test": { person: "prob-head" },
  "secretary@demo.test": { person: "opcc-lcjb", board: "lcjb" },
  "member@demo.test": { person: "cc-director", board: "lcjb" },
  "partner@demo.test": { person: "pol-ci", agency: "police" },
};

const SEEDED_TABLES = [
  "workspaces",
  "users",
  "workspace_users",
  "role_grants",
  "agencies",
  "grades",
  "grade_rates",
  "people",
  "interests",
  "boards",
  "memberships",
  "meeting_series",
  "meetings",
  "agenda_items",
  "attendance",
  "declarations",
  "meeting_feedback",
  "minutes",
  "minute_items",
  "minute_versions",
  "minute_comments",
  "decisions",
  "actions",
  "action_supporting_agencies",
  "action_updates",
  "plans",
  "plan_priorities",
  "plan_objectives",
  "objective_actions",
  "audit_events",
] as const satisfies readonly (keyof Database)[];

export type SeededTable = (typeof SEEDED_TABLES)[number];

export interface DemoSummary {
  workspaceId: number;
  /** Rows inserted per table. */
  counts: Record<SeededTable, number>;
}

// ── Drafts: rows built in memory, each given its id just before it is inserted ─────────

interface Ref {
  id: number;
}
interface AgencyDraft extends Ref {
  spec: AgencySpec;
  grades: GradeDraft[];
}
interface GradeDraft extends Ref {
  agency: AgencyDraft;
  name: string;
  position: number;
  rates: { effectiveFrom: string; pence: number }[];
}
interface PersonDraft extends Ref {
  spec: PersonSpec;
  agency: AgencyDraft;
  grade: GradeDraft;
  fullName: string;
  email: string;
}
interface UserDraft extends Ref {
  account: DemoAccount;
  person: PersonDraft;
}
interface BoardDraft extends Ref {
  spec: BoardSpec;
  series: Ref;
  memberships: MembershipDraft[];
}
interface MembershipDraft extends Ref {
  board: BoardDraft;
  person: PersonDraft;
  role: MembershipRole;
  from: string;
  to: string | null;
}
interface InterestDraft extends Ref {
  person: PersonDraft;
  description: string;
  declaredOn: string;
  endedOn: string | null;
}
interface MeetingDraft extends Ref {
  board: BoardDraft;
  startsAt: Date;
  day: string;
  duration: number;
  format: MeetingFormat;
  location: string;
  cateringPence: number;
  status: MeetingStatus;
  cancelledReason: string | null;
  createdAt: Date;
  poor: boolean;
  thin: boolean;
  agenda: AgendaDraft[];
  attendance: AttendanceDraft[];
}
interface AgendaDraft extends Ref {
  meeting: MeetingDraft;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  presenter: PersonDraft | null;
  minutesAllowed: number;
  classification: Classification;
  standing: StandingKind | null;
  description: string;
  topic: TopicSpec | null;
}
interface AttendanceDraft extends Ref {
  meeting: MeetingDraft;
  person: PersonDraft;
  status: AttendanceStatus;
  deputy: PersonDraft | null;
  minutesPresent: number | null;
  mode: AttendanceMode;
  travelMinutes: number;
  miles: number;
  otherExpensesPence: number;
}
interface DeclarationDraft extends Ref {
  meeting: MeetingDraft;
  item: AgendaDraft;
  person: PersonDraft;
  interest: InterestDraft;
  text: string;
}
interface FeedbackDraft extends Ref {
  meeting: MeetingDraft;
  person: PersonDraft;
  score: number;
  comment: string | null;
}
interface MinutesDraft extends Ref {
  meeting: MeetingDraft;
  status: MinutesStatus;
  createdAt: Date;
  circulatedAt: Date | null;
  approvedAt: Date | null;
  approvedAtMeeting: MeetingDraft | null;
  publishedAt: Date | null;
  byUser: UserDraft | null;
  items: { item: AgendaDraft; discussion: string }[];
  versions: { id: number; version: number; status: MinutesStatus; at: Date }[];
  comments: CommentDraft[];
}
interface CommentDraft extends Ref {
  item: AgendaDraft | null;
  author: UserDraft | null;
  body: string;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: UserDraft | null;
}
interface DecisionDraft extends Ref {
  meeting: MeetingDraft;
  item: AgendaDraft;
  text: string;
  createdAt: Date;
}
interface ActionDraft extends Ref {
  board: BoardDraft;
  meeting: MeetingDraft | null;
  item: AgendaDraft | null;
  title: string;
  description: string;
  classification: Classification;
  ownerAgency: AgencyDraft;
  ownerPerson: PersonDraft | null;
  dueDate: string;
  status: ActionStatus;
  outcome: string | null;
  completedAt: Date | null;
  createdAt: Date;
  supporting: AgencyDraft[];
  updates: UpdateDraft[];
}
interface UpdateDraft extends Ref {
  author: UserDraft | null;
  authorName: string;
  body: string;
  statusTo: ActionStatus | null;
  createdAt: Date;
}
interface PlanDraft extends Ref {
  board: BoardDraft;
  period: string;
  startsOn: string;
  endsOn: string;
  priorities: PriorityDraft[];
}
interface PriorityDraft extends Ref {
  position: number;
  title: string;
  objectives: ObjectiveDraft[];
}
interface ObjectiveDraft extends Ref {
  position: number;
  spec: ObjectiveSpec;
  currentValue: string;
  rag: Rag | null;
  owner: AgencyDraft | null;
  actions: ActionDraft[];
}

interface DemoModel {
  agencies: AgencyDraft[];
  people: PersonDraft[];
  users: UserDraft[];
  boards: BoardDraft[];
  interests: InterestDraft[];
  meetings: MeetingDraft[];
  declarations: DeclarationDraft[];
  feedback: FeedbackDraft[];
  minutes: MinutesDraft[];
  decisions: DecisionDraft[];
  actions: ActionDraft[];
  plans: PlanDraft[];
}

// ── Dates ───────────────────────────────────────────────────────────────────────────────

/** The London calendar date of an instant. */
const londonDay = (instant: Date): string => format(instant, "yyyy-MM-dd", { in: inLondon });

/** A wall-clock time in London as an instant (BST or GMT as the date requires). */
function londonTime(year: number, month: number, day: number, hour: number, minute: number): Date {
  return new Date(new TZDate(year, month, day, hour, minute, LONDON).getTime());
}

/** The nth weekday (0 = Sunday) of a month: the day of the month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((weekday - firstWeekday + 7) % 7) + (nth - 1) * 7;
}

/** A random instant between two others (the earlier one if they are the wrong way round). */
function between(random: Random, from: Date, to: Date): Date {
  if (to.getTime() <= from.getTime()) return from;
  return new Date(from.getTime() + Math.floor(random.next() * (to.getTime() - from.getTime())));
}

/** April-to-March financial years: the one `now` falls in, as its starting calendar year. */
function financialYearOf(now: Date): number {
  const day = londonDay(now);
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 4 ? year : year - 1;
}

// ── Building the model ──────────────────────────────────────────────────────────────────

function buildModel(now: Date, random: Random): DemoModel {
  const today = londonDay(now);
  // Calendar arithmetic on London months as integers, so the machine's time zone never matters.
  const thisMonth = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1;
  const monthStart = (month: number) =>
    `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-01`;
  const monthsAgo = (months: number) => monthStart(thisMonth - months);
  const dayBefore = (day: string) =>
    new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

  // Agencies and rate cards: a base rate well before the demo's history, and for some
  // agencies a pay award part-way through last year, so meetings are costed at two rates.
  const baseFrom = `${financialYearOf(now) - 4}-04-01`;
  const awardFrom = `${financialYearOf(now) - 1}-09-01`;
  const agencies: AgencyDraft[] = AGENCIES.map((spec) => {
    const agency: AgencyDraft = { id: 0, spec, grades: [] };
    agency.grades = spec.grades.map(([name, pounds], position) => {
      const rates = [{ effectiveFrom: baseFrom, pence: pounds * 100 }];
      if (spec.payAwardPct) {
        rates.push({
          effectiveFrom: awardFrom,
          pence: Math.round((pounds * (100 + spec.payAwardPct)) / 100) * 100,
        });
      }
      return { id: 0, agency, name, position, rates };
    });
    return agency;
  });
  const agencyByKey = new Map(agencies.map((a) => [a.spec.key, a]));
  const agencyOf = (key: string) => must(agencyByKey.get(key), `agency ${key}`);

  // People: unique plain names, deterministic.
  const names = random.fork("names");
  const usedNames = new Set<string>();
  const surnameUses = new Map<string, number>();
  const people: PersonDraft[] = PEOPLE.map((spec) => {
    let first: string;
    let last: string;
    // Unique full names, and no surname more than twice (so people are easy to tell apart).
    do {
      first = names.pick(FIRST_NAMES);
      last = names.pick(LAST_NAMES);
    } while (usedNames.has(`${first} ${last}`) || (surnameUses.get(last) ?? 0) >= 2);
    usedNames.add(`${first} ${last}`);
    surnameUses.set(last, (surnameUses.get(last) ?? 0) + 1);
    const agency = agencyOf(spec.agency);
    const grade = must(agency.grades[spec.grade], `grade ${spec.grade} of ${spec.agency}`);
    const email = `${first}.${last}@${agency.spec.domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, "");
    return { id: 0, spec, agency, grade, fullName: `${first} ${last}`, email };
  });
  const personByKey = new Map(people.map((p) => [p.spec.key, p]));
  const personOf = (key: string) => must(personByKey.get(key), `person ${key}`);

  const users: UserDraft[] = DEMO_ACCOUNTS.map((account) => ({
    id: 0,
    account,
    person: personOf(must(ACCOUNT_LINKS[account.email], account.email).person),
  }));
  const userByPerson = new Map(users.map((u) => [u.person, u]));

  const interests: InterestDraft[] = INTERESTS.map(([key, description, declared, ended]) => ({
    id: 0,
    person: personOf(key),
    description,
    declaredOn: monthsAgo(declared),
    endedOn: ended === null ? null : monthsAgo(ended),
  }));

  const historyStart = addMonths(now, -24);
  const horizon = addMonths(now, 6);
  const boards: BoardDraft[] = [];
  const meetings: MeetingDraft[] = [];
  const declarations: DeclarationDraft[] = [];
  const feedback: FeedbackDraft[] = [];
  const minutes: MinutesDraft[] = [];
  const decisions: DecisionDraft[] = [];
  const actions: ActionDraft[] = [];

  for (const spec of BOARDS) {
    const r = random.fork(spec.key);
    const board: BoardDraft = { id: 0, spec, series: { id: 0 }, memberships: [] };
    boards.push(board);
    for (const member of spec.members) {
      board.memberships.push({
        id: 0,
        board,
        person: personOf(member.person),
        role: member.role,
        from: monthsAgo(member.joinedMonthsAgo ?? 40),
        to: member.leftMonthsAgo === undefined ? null : dayBefore(monthsAgo(member.leftMonthsAgo)),
      });
    }
    const activeOn = (day: string) =>
      board.memberships.filter((ms) => ms.from <= day && (ms.to === null || ms.to >= day));

    // The schedule: the board's nth weekday of every monthStep-th month, two years back and
    // six months ahead.
    const boardMeetings: MeetingDraft[] = [];
    const { weekday, nth, hour, minute, monthStep, monthPhase } = spec.rule;
    for (let absolute = thisMonth - 25; absolute <= thisMonth + 7; absolute++) {
      if ((absolute - monthPhase) % monthStep !== 0) continue;
      const year = Math.floor(absolute / 12);
      const month = absolute % 12;
      const startsAt = londonTime(year, month, nthWeekday(year, month, weekday, nth), hour, minute);
      if (startsAt < historyStart || startsAt > horizon) continue;
      const past = startsAt < now;
      // An in-person board sometimes meets online (weather, strikes, short agendas).
      const format: MeetingFormat = spec.format !== "virtual" && r.chance(0.12) ? "virtual" : spec.format;
      const cancelled = r.chance(past ? 0.06 : 0.04);
      boardMeetings.push({
        id: 0,
        board,
        startsAt,
        day: londonDay(startsAt),
        duration: spec.duration,
        format,
        location: format === "virtual" ? "Microsoft Teams" : spec.location,
        cateringPence: format === "virtual" ? 0 : spec.cateringPence,
        status: cancelled ? "cancelled" : past ? "held" : "scheduled",
        cancelledReason: cancelled ? r.pick(CANCELLATION_REASONS) : null,
        createdAt: earliest([now, addDays(startsAt, -r.int(45, 90))]),
        poor: false,
        thin: false,
        agenda: [],
        attendance: [],
      });
    }
    meetings.push(...boardMeetings);
    const held = boardMeetings.filter((mt) => mt.status === "held");
    // Poor-value and thinly attended meetings are picked from the older held ones, so the
    // latest meeting of each board (the one with draft minutes) stays an ordinary one.
    const olderHeld = held.slice(0, -1);
    for (const mt of r.sample(olderHeld, spec.poorMeetings)) mt.poor = true;
    const ordinary = olderHeld.filter((mt) => !mt.poor);
    for (const mt of r.sample(ordinary, spec.thinMeetings)) mt.thin = true;

    let previousHeld: MeetingDraft | null = null;
    for (const meeting of boardMeetings) {
      const hasAgenda = meeting.status !== "scheduled" || meeting.startsAt <= addDays(now, 60);
      if (hasAgenda) buildAgenda(r, meeting, previousHeld, personOf);
      if (meeting.status === "held") previousHeld = meeting;
      if (meeting.status === "cancelled") continue;
      buildRegister(r, meeting, activeOn(meeting.day), people);
    }

    // Minutes, decisions, actions, declarations and feedback for each held meeting.
    for (const [index, meeting] of held.entries()) {
      const next = held[index + 1] ?? null;
      const present = meeting.attendance.filter((a) => a.status === "attended" || a.status === "deputy");
      const presentPeople = present.map((a) => a.deputy ?? a.person);
      const meetingEnd = addMinutes(meeting.startsAt, meeting.duration);

      for (const item of meeting.agenda) {
        const topic = item.topic;
        if (!topic || meeting.poor) continue;
        if (topic.purpose === "decision" && topic.decision && r.chance(0.85)) {
          decisions.push({ id: 0, meeting, item, text: topic.decision, createdAt: meetingEnd });
        }
        if (topic.purpose !== "information" && topic.actions && r.chance(0.7)) {
          const title = r.pick(topic.actions);
          actions.push(buildAction(r, now, board, meeting, item, title, presentPeople, userByPerson));
        }
        for (const [key, about] of topic.interested ?? []) {
          const declarer = presentPeople.find((p) => p.spec.key === key);
          const interest = interests.find(
            (i) =>
              i.person === declarer &&
              i.description.includes(about) &&
              i.declaredOn <= meeting.day &&
              (i.endedOn === null || i.endedOn >= meeting.day),
          );
          if (!declarer || !interest) continue;
          declarations.push({
            id: 0,
            meeting,
            item,
            person: declarer,
            interest,
            text: `${declarer.fullName} declared an interest (${lowerFirst(interest.description)}) and took no part in the decision.`,
          });
        }
      }

      // Feedback from a few of those present at recent meetings.
      if (meeting.startsAt > addMonths(now, -6)) {
        for (const person of r.sample(presentPeople, r.int(2, 4))) {
          const score = meeting.poor ? r.int(1, 3) : r.int(3, 5);
          const comment = r.chance(0.5)
            ? r.pick(meeting.poor ? FEEDBACK_COMMENTS.poor : FEEDBACK_COMMENTS.good)
            : null;
          feedback.push({ id: 0, meeting, person, score, comment });
        }
      }

      // Built even when left out, so the random sequence (and every later row) stays the same.
      const built = buildMinutes(r, now, meeting, next, userByPerson, users);
      if (next !== null || spec.latestMinutes !== "none") minutes.push(built);
    }

    // A couple of actions raised between meetings, straight onto the board's log.
    for (let i = 0; i < 2; i++) {
      const raisedAt = between(r, addMonths(now, -10), addMonths(now, -1));
      const topic = r.pick(spec.topics.filter((t) => t.actions));
      const owners = activeOn(londonDay(raisedAt)).map((ms) => ms.person);
      const action = buildAction(
        r,
        now,
        board,
        null,
        null,
        r.pick(topic.actions ?? []),
        owners,
        userByPerson,
      );
      action.createdAt = raisedAt;
      action.dueDate = londonDay(addDays(raisedAt, r.int(28, 84)));
      settleAction(r, now, action, userByPerson);
      actions.push(action);
    }
  }

  // Actions that another agency supports.
  const support = random.fork("support");
  for (const action of actions) {
    if (support.chance(0.25)) {
      const other = support.pick(agencies.filter((a) => a !== action.ownerAgency));
      action.supporting.push(other);
    }
  }

  const plans = buildPlans(random.fork("plans"), now, boards, actions, agencyOf, today);
  return {
    agencies,
    people,
    users,
    boards,
    interests,
    meetings,
    declarations,
    feedback,
    minutes,
    decisions,
    actions,
    plans,
  };
}

function buildAgenda(
  r: Random,
  meeting: MeetingDraft,
  previous: MeetingDraft | null,
  personOf: (key: string) => PersonDraft,
): void {
  const spec = meeting.board.spec;
  const chair = spec.members.find((mb) => mb.role === "chair");
  const secretary = spec.members.find((mb) => mb.role === "secretary");
  const chairPerson = chair ? personOf(chair.person) : null;
  const secretaryPerson = secretary ? personOf(secretary.person) : null;
  const item = (
    title: string,
    purpose: AgendaPurpose,
    presenter: PersonDraft | null,
    minutesAllowed: number,
    standing: StandingKind | null,
    topic: TopicSpec | null,
    description = "",
  ) =>
    meeting.agenda.push({
      id: 0,
      meeting,
      position: meeting.agenda.length,
      title,
      purpose,
      presenter,
      minutesAllowed,
      classification: topic?.sensitive ? "official_sensitive" : "official",
      standing,
      description,
      topic,
    });

  const previousNote = previous
    ? `The meeting of ${format(previous.startsAt, "d MMMM yyyy", { in: inLondon })}.`
    : "";
  item("Minutes of the previous meeting", "decision", chairPerson, 5, "previous_minutes", null, previousNote);
  item("Matters arising", "information", chairPerson, 5, "matters_arising", null);
  item("Action log review", "discussion", secretaryPerson, 10, "action_log_review", null);
  // A poor-value meeting is all noting: information items only.
  const pool = meeting.poor ? spec.topics.filter((t) => t.purpose === "information") : spec.topics;
  const count = meeting.poor ? Math.min(pool.length, r.int(3, 4)) : r.int(3, Math.min(6, pool.length));
  for (const topic of r.sample(pool, count)) {
    const allowed = topic.purpose === "information" ? r.pick([10, 15]) : r.pick([15, 20, 25, 30]);
    item(
      topic.title,
      topic.purpose,
      personOf(topic.presenter),
      allowed,
      null,
      topic,
      topicDescription(topic),
    );
  }
  item("Any other business", "information", chairPerson, 5, null, null);
}

function topicDescription(topic: TopicSpec): string {
  switch (topic.purpose) {
    case "decision":
      return "Paper attached. The board is asked to make a decision.";
    case "discussion":
      return "Paper attached. The board is asked to discuss and agree next steps.";
    default:
      return "Report for information.";
  }
}

function buildRegister(
  r: Random,
  meeting: MeetingDraft,
  active: MembershipDraft[],
  people: PersonDraft[],
): void {
  const members = new Set(active.map((ms) => ms.person));
  const deputies = new Set<PersonDraft>();
  const regional = meeting.board.spec.level === "regional";
  for (const ms of active) {
    const person = ms.person;
    let status: AttendanceStatus = "invited";
    let deputy: PersonDraft | null = null;
    if (meeting.status === "held") {
      const mustAttend = ms.role === "chair" || ms.role === "secretary";
      status = mustAttend
        ? "attended"
        : meeting.thin
          ? r.weighted([
              ["attended", 35],
              ["apologies", 45],
              ["absent", 20],
            ] as const)
          : r.weighted([
              ["attended", 76],
              ["apologies", 12],
              ["deputy", 7],
              ["absent", 5],
            ] as const);
      if (status === "deputy") {
        // A colleague from the same agency who does not sit on this board.
        const colleagues = people.filter(
          (p) => p.agency === person.agency && !members.has(p) && !deputies.has(p),
        );
        if (colleagues.length > 0) {
          deputy = r.pick(colleagues);
          deputies.add(deputy);
        } else status = "apologies";
      }
    }
    const present = status === "attended" || status === "deputy";
    const traveller = deputy ?? person;
    const mode: AttendanceMode =
      meeting.format === "virtual"
        ? "remote"
        : meeting.format === "hybrid" && r.chance(0.4)
          ? "remote"
          : "in_person";
    const travels = mode === "in_person" && (present || status === "invited");
    const travelMinutes = travels ? traveller.spec.travel + r.int(-5, 10) : 0;
    const minutesPresent =
      present && r.chance(0.1) ? meeting.duration - r.int(15, Math.min(50, meeting.duration - 10)) : null;
    let otherExpensesPence = 0;
    if (travels && present && r.chance(regional ? 0.6 : 0.12)) {
      otherExpensesPence = regional ? r.int(2_450, 4_800) : r.pick([450, 600, 800]);
    }
    meeting.attendance.push({
      id: 0,
      meeting,
      person,
      status,
      deputy,
      minutesPresent,
      mode,
      travelMinutes: Math.max(0, travelMinutes),
      miles: travels ? Math.round(Math.max(0, travelMinutes) * 5) / 10 : 0,
      otherExpensesPence,
    });
  }
}

function buildMinutes(
  r: Random,
  now: Date,
  meeting: MeetingDraft,
  next: MeetingDraft | null,
  userByPerson: Map<PersonDraft, UserDraft>,
  users: UserDraft[],
): MinutesDraft {
  const spec = meeting.board.spec;
  const meetingEnd = addMinutes(meeting.startsAt, meeting.duration);
  const secretary = meeting.board.memberships.find((ms) => ms.role === "secretary")?.person;
  const byUser = secretary ? (userByPerson.get(secretary) ?? null) : null;
  const createdAt = earliest([addDays(meetingEnd, 1), between(r, meetingEnd, now)]);

  // Minutes are circulated about five days after the meeting and approved at the next one;
  // published a week later. The latest meeting's minutes are still a draft or circulated.
  let status: MinutesStatus = "draft";
  let circulatedAt: Date | null = null;
  let approvedAt: Date | null = null;
  let approvedAtMeeting: MeetingDraft | null = null;
  let publishedAt: Date | null = null;
  const circulate = () => earliest([addDays(meetingEnd, 5), between(r, createdAt, now)]);
  if (next) {
    circulatedAt = circulate();
    approvedAt = earliest([now, addMinutes(next.startsAt, 10)]);
    approvedAtMeeting = next;
    status = "approved";
    const publishAt = addDays(approvedAt, 7);
    if (spec.publishes && publishAt < now) {
      status = "published";
      publishedAt = publishAt;
    }
  } else if (spec.latestMinutes === "circulated") {
    circulatedAt = circulate();
    status = "circulated";
  }

  const items = meeting.agenda.map((item) => ({ item, discussion: minuteText(r, meeting, item) }));
  const versions: MinutesDraft["versions"] = [{ id: 0, version: 1, status: "draft", at: createdAt }];
  if (r.chance(0.4))
    versions.push({ id: 0, version: 2, status: "draft", at: between(r, createdAt, circulatedAt ?? now) });
  if (circulatedAt)
    versions.push({ id: 0, version: versions.length + 1, status: "circulated", at: circulatedAt });
  if (approvedAt) versions.push({ id: 0, version: versions.length + 1, status: "approved", at: approvedAt });
  if (publishedAt)
    versions.push({ id: 0, version: versions.length + 1, status: "published", at: publishedAt });

  // Members comment while minutes are circulated; the secretary resolves them on approval.
  const comments: CommentDraft[] = [];
  if (circulatedAt) {
    const commenter =
      spec.key === "lcjb"
        ? users.find((u) => u.account.role === "member")
        : users.find((u) => u.account.role === "leader");
    const count = spec.key === "lcjb" ? r.int(1, 2) : r.chance(0.3) ? 1 : 0;
    for (let i = 0; i < count; i++) {
      const createdAt = between(r, circulatedAt, approvedAt ?? now);
      comments.push({
        id: 0,
        item: r.chance(0.7) ? r.pick(meeting.agenda) : null,
        author: commenter ?? null,
        body: r.pick(COMMENT_LINES),
        createdAt,
        resolvedAt: approvedAt,
        resolvedBy: approvedAt ? byUser : null,
      });
    }
  }

  return {
    id: 0,
    meeting,
    status,
    createdAt,
    circulatedAt,
    approvedAt,
    approvedAtMeeting,
    publishedAt,
    byUser,
    items,
    versions,
    comments,
  };
}

/**
 * A version of the minutes as the app stores it (app/minutes/snapshot.ts): the meeting, who
 * attended, each item's discussion, decisions and actions, and the approval once approved.
 * Called once every row has its id.
 */
function minutesSnapshot(
  mn: MinutesDraft,
  version: MinutesDraft["versions"][number],
  model: Pick<DemoModel, "decisions" | "actions" | "declarations">,
): MinutesSnapshot {
  const meeting = mn.meeting;
  const person = (p: PersonDraft) => ({ name: p.fullName, agency: p.agency.spec.name });
  const approved = (version.status === "approved" || version.status === "published") && mn.approvedAt;
  return {
    meeting: {
      id: meeting.id,
      boardId: meeting.board.id,
      boardName: meeting.board.spec.name,
      startsAt: meeting.startsAt.toISOString(),
      durationMinutes: meeting.duration,
      format: meeting.format,
      location: meeting.location,
    },
    attendance: {
      present: meeting.attendance
        .filter((a) => a.status === "attended" || (a.status === "deputy" && a.deputy))
        .map((a) => ({
          ...person(a.deputy ?? a.person),
          remote: a.mode === "remote",
          deputyFor: a.deputy ? a.person.fullName : null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      apologies: meeting.attendance.filter((a) => a.status === "apologies").map((a) => person(a.person)),
      absent: meeting.attendance.filter((a) => a.status === "absent").map((a) => person(a.person)),
    },
    // The demo's declarations are all made against an item.
    declarations: [],
    items: mn.items.map(({ item, discussion }) => ({
      agendaItemId: item.id,
      position: item.position,
      title: item.title,
      classification: item.classification,
      discussion,
      declarations: model.declarations
        .filter((d) => d.item === item)
        .map((d) => ({
          id: d.id,
          ...person(d.person),
          text: d.text,
          interest: d.interest.description,
        })),
      decisions: model.decisions.filter((d) => d.item === item).map((d) => ({ id: d.id, text: d.text })),
      actions: model.actions
        .filter((a) => a.item === item)
        .map((a) => ({
          id: a.id,
          title: a.title,
          classification: a.classification,
          ownerAgency: a.ownerAgency.spec.name,
          ownerPerson: a.ownerPerson?.fullName ?? null,
          dueDate: a.dueDate,
        })),
    })),
    approval:
      approved && mn.approvedAt
        ? {
            approvedAt: mn.approvedAt.toISOString(),
            atMeeting: mn.approvedAtMeeting
              ? { id: mn.approvedAtMeeting.id, startsAt: mn.approvedAtMeeting.startsAt.toISOString() }
              : null,
          }
        : null,
  };
}

function minuteText(r: Random, meeting: MeetingDraft, item: AgendaDraft): string {
  const presenter = item.presenter;
  const by = presenter ? `${presenter.fullName} (${presenter.agency.spec.shortName})` : "The chair";
  switch (item.standing) {
    case "previous_minutes":
      return item.description
        ? `The minutes of ${lowerFirst(item.description.replace(/\.$/, ""))} were agreed as an accurate record.`
        : "There were no previous minutes to approve.";
    case "matters_arising":
      return "There were no matters arising that were not covered elsewhere on the agenda.";
    case "action_log_review":
      return "The board reviewed the action log. Completed actions were closed; owners of overdue actions were asked to update the log before the next meeting.";
    default:
      break;
  }
  if (!item.topic) return "There was no other business.";
  const opening = `${by} introduced the item.`;
  const sensitive =
    item.classification === "official_sensitive" ? " This item was taken as OFFICIAL-SENSITIVE." : "";
  if (item.purpose === "information" || meeting.poor)
    return `${opening}${sensitive} ${r.pick(INFORMATION_LINES)}`;
  const body = r.pick(DISCUSSION_LINES);
  const decision = item.topic.decision ? ` ${item.topic.decision}` : "";
  return `${opening}${sensitive} ${body}${item.purpose === "decision" ? decision : ""}`;
}

function buildAction(
  r: Random,
  now: Date,
  board: BoardDraft,
  meeting: MeetingDraft | null,
  item: AgendaDraft | null,
  title: string,
  candidates: PersonDraft[],
  userByPerson: Map<PersonDraft, UserDraft>,
): ActionDraft {
  // Usually the presenter's agency owns it; otherwise someone else in the room.
  const presenter = item?.presenter ?? null;
  const owner =
    presenter && (r.chance(0.7) || candidates.length === 0)
      ? presenter
      : candidates.length
        ? r.pick(candidates)
        : null;
  const ownerAgency = owner?.agency ?? must(board.memberships[0], "a board member").person.agency;
  const raisedAt = meeting ? addMinutes(meeting.startsAt, meeting.duration) : now;
  const action: ActionDraft = {
    id: 0,
    board,
    meeting,
    item,
    title,
    description: item ? `Raised under "${item.title}".` : "",
    classification: item?.classification ?? "official",
    ownerAgency,
    ownerPerson: owner,
    dueDate: londonDay(addDays(raisedAt, r.pick([28, 42, 56, 84]))),
    status: "open",
    outcome: null,
    completedAt: null,
    createdAt: raisedAt,
    supporting: [],
    updates: [],
  };
  if (meeting) settleAction(r, now, action, userByPerson);
  return action;
}

/** Where the action has got to by `now`, with the progress updates that got it there. */
function settleAction(
  r: Random,
  now: Date,
  action: ActionDraft,
  userByPerson: Map<PersonDraft, UserDraft>,
): void {
  const today = londonDay(now);
  const overdue = action.dueDate < today;
  const roll = r.next();
  const status: ActionStatus = overdue
    ? roll < 0.62
      ? "done"
      : roll < 0.72
        ? "dropped"
        : roll < 0.87
          ? "in_progress"
          : "open"
    : roll < 0.25
      ? "done"
      : roll < 0.6
        ? "in_progress"
        : "open";
  const due = new TZDate(`${action.dueDate}T17:00:00`, LONDON);
  const author = action.ownerPerson ? (userByPerson.get(action.ownerPerson) ?? null) : null;
  const authorName = action.ownerPerson?.fullName ?? action.ownerAgency.spec.shortName;
  const update = (at: Date, body: string, statusTo: ActionStatus | null) =>
    action.updates.push({ id: 0, author, authorName, body, statusTo, createdAt: at });

  action.status = status;
  if (status === "open") {
    if (r.chance(0.3)) update(between(r, action.createdAt, now), r.pick(UPDATE_LINES), null);
    return;
  }
  // Most finish around the due date; some late.
  const finishBy = earliest([now, addDays(due, r.chance(0.75) ? 0 : r.int(3, 21))]);
  const started = between(r, action.createdAt, earliest([now, addDays(action.createdAt, 14)]));
  update(started, r.pick(UPDATE_LINES), "in_progress");
  if (status === "in_progress") {
    if (r.chance(0.5)) update(between(r, started, now), r.pick(UPDATE_LINES), null);
    return;
  }
  action.completedAt = earliest([now, addMinutes(latest([started, between(r, started, finishBy)]), 1)]);
  if (status === "done") {
    action.outcome = "Completed and reported back to the board.";
    update(action.completedAt, "Complete. Evidence shared with the secretary.", "done");
  } else {
    action.outcome = "Superseded by work commissioned nationally.";
    update(action.completedAt, "Dropped: superseded by national work; agreed with the chair.", "dropped");
  }
}

function buildPlans(
  r: Random,
  now: Date,
  boards: BoardDraft[],
  actions: ActionDraft[],
  agencyOf: (key: string) => AgencyDraft,
  today: string,
): PlanDraft[] {
  const current = financialYearOf(now);
  const plans: PlanDraft[] = [];
  for (const board of boards) {
    for (const year of [current - 1, current]) {
      const period = `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
      const startsOn = `${year}-04-01`;
      const endsOn = `${year + 1}-03-31`;
      const finished = endsOn < today;
      const plan: PlanDraft = { id: 0, board, period, startsOn, endsOn, priorities: [] };
      for (const [p, prioritySpec] of board.spec.priorities.entries()) {
        const priority: PriorityDraft = { id: 0, position: p, title: prioritySpec.title, objectives: [] };
        for (const [o, spec] of prioritySpec.objectives.entries()) {
          const rag: Rag = r.weighted(
            finished
              ? ([
                  ["green", 6],
                  ["amber", 3],
                  ["red", 1],
                ] as const)
              : ([
                  ["green", 4],
                  ["amber", 4],
                  ["red", 2],
                ] as const),
          );
          priority.objectives.push({
            id: 0,
            position: o,
            spec,
            currentValue:
              rag === "green"
                ? `On target (${spec.target})`
                : rag === "amber"
                  ? "Close to target"
                  : "Behind target",
            rag,
            owner: agencyOf(spec.owner),
            actions: [],
          });
        }
        plan.priorities.push(priority);
      }
      // Link some of the board's actions raised in the plan year to its objectives.
      const objectives = plan.priorities.flatMap((pr) => pr.objectives);
      for (const action of actions) {
        const raised = londonDay(action.createdAt);
        if (action.board !== board || raised < startsOn || raised > endsOn) continue;
        if (r.chance(0.45)) r.pick(objectives).actions.push(action);
      }
      plans.push(plan);
    }
  }
  return plans;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`Demo data is missing ${what}`);
  return value;
}

// ── Writing the model ───────────────────────────────────────────────────────────────────

/** Takes ids from the table's own sequence, so later inserts without an id never collide. */
async function assignIds(trx: Kysely<Database>, table: keyof Database, drafts: Ref[]): Promise<void> {
  if (drafts.length === 0) return;
  const { rows } = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence(${table}, 'id'))::int8 as id from generate_series(1, ${drafts.length})
  `.execute(trx);
  rows.forEach((row, i) => {
    const draft = drafts[i];
    if (draft) draft.id = Number(row.id);
  });
}

async function insertAll<T extends keyof Database & string>(
  trx: Kysely<Database>,
  table: T,
  rows: InsertObject<Database, T>[],
): Promise<number> {
  for (let i = 0; i < rows.length; i += BATCH) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + BATCH))
      .execute();
  }
  return rows.length;
}

async function writeModel(
  trx: Kysely<Database>,
  model: DemoModel,
  now: Date,
  passwordHash: string,
): Promise<DemoSummary> {
  const existing = await trx
    .selectFrom("workspaces")
    .select("id")
    .where("slug", "=", DEMO_WORKSPACE_SLUG)
    .executeTakeFirst();
  if (existing) throw new Error(`The demo workspace ("${DEMO_WORKSPACE_SLUG}") already exists.`);

  const { id: ws } = await trx
    .insertInto("workspaces")
    .values({ slug: DEMO_WORKSPACE_SLUG, name: "Northshire Criminal Justice Partnership", is_demo: true })
    .returning("id")
    .executeTakeFirstOrThrow();
  const counts = Object.fromEntries(SEEDED_TABLES.map((t) => [t, 0])) as Record<SeededTable, number>;
  counts.workspaces = 1;

  // Demo accounts are people-level: reuse one left behind by an earlier demo workspace.
  const userRows = await trx
    .insertInto("users")
    .values(
      model.users.map((u) => ({
        email: u.account.email,
        name: u.person.fullName,
        password_hash: passwordHash,
        password_changed_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column("email").doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        password_hash: eb.ref("excluded.password_hash"),
        disabled_at: null,
      })),
    )
    .returning(["id", "email"])
    .execute();
  for (const user of model.users) {
    user.id = must(
      userRows.find((row) => row.email === user.account.email),
      user.account.email,
    ).id;
  }
  counts.users = userRows.length;

  const grades = model.agencies.flatMap((a) => a.grades);
  const rates = grades.flatMap((g) => g.rates.map((rate) => ({ grade: g, ...rate })));
  await assignIds(trx, "agencies", model.agencies);
  counts.agencies = await insertAll(
    trx,
    "agencies",
    model.agencies.map((a) => ({
      workspace_id: ws,
      id: a.id,
      name: a.spec.name,
      short_name: a.spec.shortName,
      type: a.spec.type,
      on_cost_pct: a.spec.onCostPct ?? null,
      overhead_pct: a.spec.overheadPct ?? null,
      mileage_pence: a.spec.mileagePence ?? null,
    })),
  );
  await assignIds(trx, "grades", grades);
  counts.grades = await insertAll(
    trx,
    "grades",
    grades.map((g) => ({
      workspace_id: ws,
      id: g.id,
      agency_id: g.agency.id,
      name: g.name,
      position: g.position,
    })),
  );
  counts.grade_rates = await insertAll(
    trx,
    "grade_rates",
    rates.map((rate) => ({
      workspace_id: ws,
      grade_id: rate.grade.id,
      effective_from: rate.effectiveFrom,
      annual_salary_pence: rate.pence,
    })),
  );
  await assignIds(trx, "people", model.people);
  counts.people = await insertAll(
    trx,
    "people",
    model.people.map((p) => ({
      workspace_id: ws,
      id: p.id,
      agency_id: p.agency.id,
      grade_id: p.grade.id,
      full_name: p.fullName,
      email: p.email,
      job_title: p.spec.jobTitle,
      usual_travel_minutes: p.spec.travel,
    })),
  );
  counts.workspace_users = await insertAll(
    trx,
    "workspace_users",
    model.users.map((u) => ({ workspace_id: ws, user_id: u.id, person_id: u.person.id })),
  );

  await assignIds(trx, "boards", model.boards);
  counts.boards = await insertAll(
    trx,
    "boards",
    model.boards.map((b) => ({
      workspace_id: ws,
      id: b.id,
      name: b.spec.name,
      slug: b.spec.slug,
      type: b.spec.type,
      level: b.spec.level,
      terms_of_reference: b.spec.termsOfReference,
      quorum: b.spec.quorum,
      default_duration_minutes: b.spec.duration,
      preparation_minutes: b.spec.preparation,
      frequency: b.spec.frequency,
      visibility: b.spec.visibility,
      sensitive_items_public: b.spec.sensitiveItemsPublic,
    })),
  );
  const boardByKey = new Map(model.boards.map((b) => [b.spec.key, b]));
  const agencyByKey = new Map(model.agencies.map((a) => [a.spec.key, a]));
  counts.role_grants = await insertAll(
    trx,
    "role_grants",
    model.users.map((u) => {
      const link = must(ACCOUNT_LINKS[u.account.email], u.account.email);
      return {
        workspace_id: ws,
        user_id: u.id,
        role: u.account.role,
        board_id: link.board ? must(boardByKey.get(link.board), link.board).id : null,
        agency_id: link.agency ? must(agencyByKey.get(link.agency), link.agency).id : null,
      };
    }),
  );
  const series = model.boards.map((b) => b.series);
  await assignIds(trx, "meeting_series", series);
  counts.meeting_series = await insertAll(
    trx,
    "meeting_series",
    model.boards.map((b) => ({
      workspace_id: ws,
      id: b.series.id,
      board_id: b.id,
      rule: {
        ...b.spec.rule,
        frequency: b.spec.frequency,
        timeZone: LONDON,
        durationMinutes: b.spec.duration,
      },
    })),
  );
  const memberships = model.boards.flatMap((b) => b.memberships);
  counts.memberships = await insertAll(
    trx,
    "memberships",
    memberships.map((ms) => ({
      workspace_id: ws,
      board_id: ms.board.id,
      person_id: ms.person.id,
      agency_id: ms.person.agency.id,
      role: ms.role,
      from_date: ms.from,
      to_date: ms.to,
    })),
  );
  await assignIds(trx, "interests", model.interests);
  counts.interests = await insertAll(
    trx,
    "interests",
    model.interests.map((i) => ({
      workspace_id: ws,
      id: i.id,
      person_id: i.person.id,
      description: i.description,
      declared_on: i.declaredOn,
      ended_on: i.endedOn,
    })),
  );

  await assignIds(trx, "meetings", model.meetings);
  counts.meetings = await insertAll(
    trx,
    "meetings",
    model.meetings.map((mt) => ({
      workspace_id: ws,
      id: mt.id,
      board_id: mt.board.id,
      series_id: mt.board.series.id,
      starts_at: mt.startsAt,
      duration_minutes: mt.duration,
      format: mt.format,
      location: mt.location,
      venue_cost_pence: 0,
      catering_cost_pence: mt.cateringPence,
      status: mt.status,
      cancelled_reason: mt.cancelledReason,
      created_at: mt.createdAt,
      updated_at: mt.status === "scheduled" ? mt.createdAt : earliest([now, addDays(mt.startsAt, 1)]),
    })),
  );
  const agenda = model.meetings.flatMap((mt) => mt.agenda);
  await assignIds(trx, "agenda_items", agenda);
  counts.agenda_items = await insertAll(
    trx,
    "agenda_items",
    agenda.map((item) => ({
      workspace_id: ws,
      id: item.id,
      meeting_id: item.meeting.id,
      position: item.position,
      title: item.title,
      purpose: item.purpose,
      presenter_person_id: item.presenter?.id ?? null,
      minutes_allowed: item.minutesAllowed,
      classification: item.classification,
      standing_kind: item.standing,
      description: item.description,
      created_at: item.meeting.createdAt,
      updated_at: item.meeting.createdAt,
    })),
  );
  counts.attendance = await insertAll(
    trx,
    "attendance",
    model.meetings.flatMap((mt) =>
      mt.attendance.map((a) => ({
        workspace_id: ws,
        meeting_id: mt.id,
        person_id: a.person.id,
        status: a.status,
        deputy_person_id: a.deputy?.id ?? null,
        minutes_present: a.minutesPresent,
        mode: a.mode,
        travel_minutes: a.travelMinutes,
        miles: a.miles,
        other_expenses_pence: a.otherExpensesPence,
      })),
    ),
  );
  // Versions hold snapshots that name declarations by id: give them their ids first.
  await assignIds(trx, "declarations", model.declarations);
  counts.declarations = await insertAll(
    trx,
    "declarations",
    model.declarations.map((d) => ({
      id: d.id,
      workspace_id: ws,
      meeting_id: d.meeting.id,
      agenda_item_id: d.item.id,
      person_id: d.person.id,
      interest_id: d.interest.id,
      text: d.text,
      created_at: d.meeting.startsAt,
    })),
  );
  counts.meeting_feedback = await insertAll(
    trx,
    "meeting_feedback",
    model.feedback.map((f) => ({
      workspace_id: ws,
      meeting_id: f.meeting.id,
      person_id: f.person.id,
      score: f.score,
      comment: f.comment,
      created_at: earliest([now, addDays(f.meeting.startsAt, 1)]),
    })),
  );

  await assignIds(trx, "minutes", model.minutes);
  counts.minutes = await insertAll(
    trx,
    "minutes",
    model.minutes.map((mn) => ({
      workspace_id: ws,
      id: mn.id,
      meeting_id: mn.meeting.id,
      status: mn.status,
      version: mn.versions.length,
      circulated_at: mn.circulatedAt,
      approved_at: mn.approvedAt,
      approved_at_meeting_id: mn.approvedAtMeeting?.id ?? null,
      approved_by: mn.approvedAt ? (mn.byUser?.id ?? null) : null,
      published_at: mn.publishedAt,
      created_at: mn.createdAt,
      updated_at: must(mn.versions[mn.versions.length - 1], "a minutes version").at,
      updated_by: mn.byUser?.id ?? null,
    })),
  );
  counts.minute_items = await insertAll(
    trx,
    "minute_items",
    model.minutes.flatMap((mn) =>
      mn.items.map((mi) => ({
        workspace_id: ws,
        minutes_id: mn.id,
        agenda_item_id: mi.item.id,
        discussion: mi.discussion,
      })),
    ),
  );
  // Versions hold snapshots that name decisions and actions by id: give those their ids first.
  await assignIds(trx, "decisions", model.decisions);
  await assignIds(trx, "actions", model.actions);
  counts.minute_versions = await insertAll(
    trx,
    "minute_versions",
    model.minutes.flatMap((mn) =>
      mn.versions.map((v) => ({
        workspace_id: ws,
        minutes_id: mn.id,
        version: v.version,
        status: v.status,
        snapshot: JSON.stringify(minutesSnapshot(mn, v, model)),
        created_by: mn.byUser?.id ?? null,
        created_at: v.at,
      })),
    ),
  );
  counts.minute_comments = await insertAll(
    trx,
    "minute_comments",
    model.minutes.flatMap((mn) =>
      mn.comments.map((c) => ({
        workspace_id: ws,
        minutes_id: mn.id,
        agenda_item_id: c.item?.id ?? null,
        author_id: c.author?.id ?? null,
        body: c.body,
        resolved_at: c.resolvedAt,
        resolved_by: c.resolvedBy?.id ?? null,
        created_at: c.createdAt,
      })),
    ),
  );
  counts.decisions = await insertAll(
    trx,
    "decisions",
    model.decisions.map((d) => ({
      workspace_id: ws,
      id: d.id,
      board_id: d.meeting.board.id,
      meeting_id: d.meeting.id,
      agenda_item_id: d.item.id,
      text: d.text,
      created_at: d.createdAt,
    })),
  );

  counts.actions = await insertAll(
    trx,
    "actions",
    model.actions.map((a) => ({
      workspace_id: ws,
      id: a.id,
      board_id: a.board.id,
      meeting_id: a.meeting?.id ?? null,
      agenda_item_id: a.item?.id ?? null,
      title: a.title,
      description: a.description,
      classification: a.classification,
      owner_agency_id: a.ownerAgency.id,
      owner_person_id: a.ownerPerson?.id ?? null,
      due_date: a.dueDate,
      status: a.status,
      outcome: a.outcome,
      completed_at: a.completedAt,
      version: 1 + a.updates.filter((u) => u.statusTo !== null).length,
      created_at: a.createdAt,
      updated_at: a.updates[a.updates.length - 1]?.createdAt ?? a.createdAt,
    })),
  );
  counts.action_supporting_agencies = await insertAll(
    trx,
    "action_supporting_agencies",
    model.actions.flatMap((a) =>
      a.supporting.map((s) => ({ workspace_id: ws, action_id: a.id, agency_id: s.id })),
    ),
  );
  counts.action_updates = await insertAll(
    trx,
    "action_updates",
    model.actions.flatMap((a) =>
      a.updates.map((u) => ({
        workspace_id: ws,
        action_id: a.id,
        author_id: u.author?.id ?? null,
        author_name: u.authorName,
        body: u.body,
        status_to: u.statusTo,
        created_at: u.createdAt,
      })),
    ),
  );

  await assignIds(trx, "plans", model.plans);
  counts.plans = await insertAll(
    trx,
    "plans",
    model.plans.map((p) => ({
      workspace_id: ws,
      id: p.id,
      board_id: p.board.id,
      period: p.period,
      title: `${p.board.spec.shortName} plan ${p.period}`,
      starts_on: p.startsOn,
      ends_on: p.endsOn,
    })),
  );
  const priorities = model.plans.flatMap((p) => p.priorities.map((priority) => ({ plan: p, priority })));
  await assignIds(
    trx,
    "plan_priorities",
    priorities.map((x) => x.priority),
  );
  counts.plan_priorities = await insertAll(
    trx,
    "plan_priorities",
    priorities.map(({ plan, priority }) => ({
      workspace_id: ws,
      id: priority.id,
      plan_id: plan.id,
      position: priority.position,
      title: priority.title,
    })),
  );
  const objectives = priorities.flatMap(({ priority }) =>
    priority.objectives.map((objective) => ({ priority, objective })),
  );
  await assignIds(
    trx,
    "plan_objectives",
    objectives.map((x) => x.objective),
  );
  counts.plan_objectives = await insertAll(
    trx,
    "plan_objectives",
    objectives.map(({ priority, objective }) => ({
      workspace_id: ws,
      id: objective.id,
      priority_id: priority.id,
      position: objective.position,
      title: objective.spec.title,
      measure: objective.spec.measure,
      target: objective.spec.target,
      current_value: objective.currentValue,
      rag: objective.rag,
      owner_agency_id: objective.owner?.id ?? null,
    })),
  );
  counts.objective_actions = await insertAll(
    trx,
    "objective_actions",
    objectives.flatMap(({ objective }) =>
      objective.actions.map((a) => ({ workspace_id: ws, objective_id: objective.id, action_id: a.id })),
    ),
  );
  counts.audit_events = await insertAll(trx, "audit_events", [
    {
      workspace_id: ws,
      actor_label: "system",
      event: "workspace.demo_seeded",
      entity_type: "workspace",
      entity_id: String(ws),
      changes: { meetings: counts.meetings, people: counts.people },
      occurred_at: now,
    },
  ]);

  return { workspaceId: ws, counts };
}

/**
 * Creates the demo workspace ("demo") with its partnership and the five sign-in accounts
 * of DEMO_ACCOUNTS, all in one transaction. `now` fixes "today" (tests pass a date).
 */
export async function seedDemo(db: Kysely<Database>, options: { now?: Date } = {}): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  const model = buildModel(now, createRandom(DEMO_SEED));
  // Hashed once for all five accounts: argon2id at OWASP's parameters.
  const passwordHash = await hash(DEMO_PASSWORD, {
    algorithm: 2,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });
  return db.transaction().execute((trx) => writeModel(trx, model, now, passwordHash));
}

// ── The partnership ─────────────────────────────────────────────────────────────────────

/*
 * The fictional Northshire partnership: its agencies, staff, boards and the business they
 * discuss. Pure data, read by demo.ts. Every name, place and figure is invented; salaries
 * are realistic UK public and voluntary sector pay in pounds (converted to pence on insert).
 */

interface AgencySpec {
  key: string;
  name: string;
  shortName: string;
  type: AgencyType;
  /** Email domain for its staff (reserved .example TLD, so nothing can be sent there). */
  domain: string;
  onCostPct?: number;
  overheadPct?: number;
  mileagePence?: number;
  /** Grade name and annual salary in pounds, most junior first. */
  grades: readonly (readonly [string, number])[];
  /** A mid-year pay award (percent) that gives this agency's grades a salary history. */
  payAwardPct?: number;
}

const AGENCIES: readonly AgencySpec[] = [
  {
    key: "probation",
    name: "Probation Service – Northshire Delivery Unit",
    shortName: "Probation",
    type: "probation",
    domain: "probation.northshire.example",
    payAwardPct: 4,
    grades: [
      ["Band 3 Probation Services Officer", 29_000],
      ["Band 4 Probation Officer", 38_000],
      ["Band 5 Senior Probation Officer", 46_500],
      ["Band 6 Head of Delivery Unit", 58_500],
      ["Senior Civil Servant (Regional Director)", 98_000],
    ],
  },
  {
    key: "police",
    name: "Northshire Police",
    shortName: "Police",
    type: "police",
    domain: "police.northshire.example",
    payAwardPct: 4.2,
    grades: [
      ["Police Staff SO1", 36_500],
      ["Sergeant", 50_500],
      ["Inspector", 62_000],
      ["Chief Inspector", 67_500],
      ["Superintendent", 84_000],
    ],
  },
  {
    key: "county",
    name: "Northshire County Council",
    shortName: "County Council",
    type: "local_authority",
    domain: "northshire-cc.example",
    grades: [
      ["Grade 8", 34_000],
      ["Grade 10", 46_800],
      ["Grade 12", 61_500],
      ["Director", 105_000],
    ],
  },
  {
    key: "city",
    name: "Northam City Council",
    shortName: "City Council",
    type: "local_authority",
    domain: "northam.example",
    grades: [
      ["Officer", 33_500],
      ["Team Leader", 41_000],
      ["Manager", 47_500],
      ["Head of Service", 66_000],
    ],
  },
  {
    key: "icb",
    name: "NHS Northshire Integrated Care Board",
    shortName: "ICB",
    type: "health",
    domain: "nhs-northshire.example",
    payAwardPct: 3.6,
    grades: [
      ["Agenda for Change Band 7", 48_500],
      ["Agenda for Change Band 8a", 56_000],
      ["Agenda for Change Band 8b", 65_000],
      ["Agenda for Change Band 8c", 77_000],
      ["Agenda for Change Band 9", 105_000],
    ],
  },
  {
    key: "fire",
    name: "Northshire Fire and Rescue Service",
    shortName: "Fire and Rescue",
    type: "fire",
    domain: "northshire-fire.example",
    grades: [
      ["Support Staff Grade 5", 31_500],
      ["Station Manager", 52_000],
      ["Group Manager", 62_500],
      ["Area Manager", 74_000],
    ],
  },
  {
    key: "prison",
    name: "HMP Northam",
    shortName: "HMP Northam",
    type: "prisons",
    domain: "hmp-northam.example",
    grades: [
      ["Band 5 Custodial Manager", 41_000],
      ["Band 7 Head of Function", 53_500],
      ["Band 9 Deputy Governor", 69_000],
      ["Band 11 Governor", 93_000],
    ],
  },
  {
    key: "courts",
    name: "HM Courts and Tribunals Service – Northshire",
    shortName: "HMCTS",
    type: "courts",
    domain: "hmcts-northshire.example",
    grades: [
      ["Executive Officer", 31_000],
      ["Legal Adviser", 41_500],
      ["Higher Executive Officer", 44_000],
      ["Senior Executive Officer", 54_000],
    ],
  },
  {
    key: "yjs",
    name: "Northshire Youth Justice Service",
    shortName: "Youth Justice",
    type: "youth_justice",
    domain: "yjs.northshire-cc.example",
    grades: [
      ["Youth Justice Practitioner", 35_000],
      ["Team Manager", 47_500],
      ["Head of Service", 68_000],
    ],
  },
  {
    key: "cps",
    name: "Crown Prosecution Service – North",
    shortName: "CPS",
    type: "other",
    domain: "cps-north.example",
    grades: [
      ["Senior Crown Prosecutor", 58_000],
      ["Senior District Crown Prosecutor", 72_000],
      ["Deputy Chief Crown Prosecutor", 90_000],
    ],
  },
  {
    key: "opcc",
    name: "Office of the Police and Crime Commissioner for Northshire",
    shortName: "OPCC",
    type: "other",
    domain: "northshire-pcc.example",
    grades: [
      ["Officer", 31_000],
      ["Manager", 45_000],
      ["Head of Service", 63_000],
      ["Police and Crime Commissioner", 86_700],
      ["Chief Executive", 98_000],
    ],
  },
  {
    key: "womens-centre",
    name: "Northshire Women's Centre",
    shortName: "Women's Centre",
    type: "voluntary",
    domain: "northshirewomen.example",
    onCostPct: 20,
    grades: [
      ["Support Worker", 26_000],
      ["Services Manager", 37_500],
      ["Chief Executive", 54_000],
    ],
  },
  {
    key: "open-doors",
    name: "Open Doors Northshire",
    shortName: "Open Doors",
    type: "voluntary",
    domain: "opendoors-northshire.example",
    onCostPct: 20,
    mileagePence: 40,
    grades: [
      ["Peer Mentor Coordinator", 28_500],
      ["Housing and Resettlement Manager", 38_000],
      ["Chief Executive", 56_000],
    ],
  },
];

interface PersonSpec {
  key: string;
  agency: string;
  jobTitle: string;
  /** Index into the agency's grades. */
  grade: number;
  /** Usual travel to a Northam meeting and back, in minutes. */
  travel: number;
}

const person = (
  key: string,
  agency: string,
  jobTitle: string,
  grade: number,
  travel: number,
): PersonSpec => ({
  key,
  agency,
  jobTitle,
  grade,
  travel,
});

const PEOPLE: readonly PersonSpec[] = [
  person("prob-director", "probation", "Regional Probation Director, North", 4, 90),
  person("prob-head", "probation", "Head of Northshire Probation Delivery Unit", 3, 30),
  person("prob-partnerships", "probation", "Partnerships and Performance Manager", 2, 20),
  person("prob-spo-iom", "probation", "Senior Probation Officer, Integrated Offender Management", 2, 30),
  person("prob-spo-mappa", "probation", "Senior Probation Officer, MAPPA Coordinator", 2, 25),
  person("prob-po1", "probation", "Probation Officer, Court Team", 1, 20),
  person("prob-po2", "probation", "Probation Officer, Youth Transitions", 1, 35),
  person("prob-po3", "probation", "Probation Officer, Integrated Offender Management", 1, 30),
  person("prob-pso", "probation", "Probation Services Officer", 0, 15),
  person("pol-supt", "police", "Superintendent, Head of Criminal Justice", 4, 30),
  person("pol-ci", "police", "Chief Inspector, Partnerships and Prevention", 3, 25),
  person("pol-di-iom", "police", "Detective Inspector, Integrated Offender Management", 2, 20),
  person("pol-di-ppu", "police", "Detective Inspector, Public Protection Unit", 2, 35),
  person("pol-insp-csp", "police", "Inspector, Northam Neighbourhood Policing", 2, 10),
  person("pol-sgt", "police", "Sergeant, Criminal Justice Case Progression", 1, 20),
  person("pol-sgt2", "police", "Sergeant, Offender Management", 1, 25),
  person("pol-analyst", "police", "Partnership Analyst", 0, 15),
  person("cc-director", "county", "Director of Children and Communities", 3, 15),
  person("cc-head-cs", "county", "Head of Community Safety", 2, 15),
  person("cc-children", "county", "Head of Safeguarding and Quality Assurance", 2, 20),
  person("cc-csm", "county", "Community Safety Manager", 1, 15),
  person("cc-da", "county", "Domestic Abuse Commissioning Manager", 1, 20),
  person("cc-cso", "county", "Community Safety Officer", 0, 10),
  person("nc-head", "city", "Head of Housing and Communities", 3, 10),
  person("nc-housing", "city", "Housing Options Manager", 2, 10),
  person("nc-asb", "city", "Anti-social Behaviour Team Leader", 1, 5),
  person("nc-cs", "city", "Community Safety Partnership Coordinator", 0, 5),
  person("nc-tenancy", "city", "Tenancy Sustainment Officer", 0, 10),
  person("icb-director", "icb", "Director of Nursing and Quality", 4, 35),
  person("icb-commissioning", "icb", "Head of Mental Health Commissioning", 3, 30),
  person("icb-safeguarding", "icb", "Designated Nurse, Safeguarding Adults", 2, 30),
  person("icb-substance", "icb", "Substance Misuse Commissioning Manager", 1, 25),
  person("icb-liaison", "icb", "Liaison and Diversion Service Manager", 0, 20),
  person("icb-nurse", "icb", "Liaison and Diversion Practitioner", 0, 20),
  person("fire-am", "fire", "Area Manager, Prevention and Protection", 3, 30),
  person("fire-gm", "fire", "Group Manager, Community Safety", 2, 25),
  person("fire-sm", "fire", "Station Manager, Northam", 1, 10),
  person("fire-advisor", "fire", "Community Safety Advisor", 0, 15),
  person("hmp-governor", "prison", "Governing Governor", 3, 40),
  person("hmp-deputy", "prison", "Deputy Governor", 2, 40),
  person("hmp-resettlement", "prison", "Head of Reducing Reoffending", 1, 40),
  person("hmp-omu", "prison", "Head of Offender Management Unit", 1, 40),
  person("hmp-cm", "prison", "Custodial Manager, Resettlement", 0, 40),
  person("hmcts-cluster", "courts", "Cluster Manager, Northshire Magistrates' Courts", 3, 20),
  person("hmcts-delivery", "courts", "Delivery Manager, Northam Crown Court", 2, 15),
  person("hmcts-legal", "courts", "Legal Adviser, Youth Court", 1, 15),
  person("hmcts-listing", "courts", "Listing Officer", 0, 15),
  person("yjs-head", "yjs", "Head of Youth Justice Service", 2, 15),
  person("yjs-manager", "yjs", "Youth Justice Team Manager", 1, 15),
  person("yjs-practitioner", "yjs", "Youth Justice Practitioner", 0, 20),
  person("yjs-education", "yjs", "Youth Justice Practitioner, Education", 0, 20),
  person("cps-deputy", "cps", "Deputy Chief Crown Prosecutor", 2, 60),
  person("cps-senior", "cps", "Senior District Crown Prosecutor", 1, 45),
  person("cps-lawyer", "cps", "Senior Crown Prosecutor", 0, 45),
  person("pcc", "opcc", "Police and Crime Commissioner", 3, 20),
  person("opcc-ceo", "opcc", "Chief Executive", 4, 20),
  person("opcc-head", "opcc", "Head of Commissioning and Partnerships", 2, 20),
  person("opcc-lcjb", "opcc", "LCJB Business Manager", 1, 20),
  person("opcc-policy", "opcc", "Policy and Partnerships Officer", 0, 20),
  person("opcc-support", "opcc", "Partnership Systems Officer", 0, 20),
  person("nwc-ceo", "womens-centre", "Chief Executive", 2, 15),
  person("nwc-manager", "womens-centre", "Services Manager", 1, 15),
  person("nwc-worker", "womens-centre", "Women's Support Worker", 0, 15),
  person("od-ceo", "open-doors", "Chief Executive", 2, 20),
  person("od-manager", "open-doors", "Housing and Resettlement Manager", 1, 20),
  person("od-mentor", "open-doors", "Peer Mentor Coordinator", 0, 20),
];

// Plain British names; people get a unique first + last pairing from these.
// biome-ignore format: a compact list of names
const FIRST_NAMES = [
  "Alison", "Andrew", "Angela", "Anthony", "Barbara", "Ben", "Caroline", "Catherine", "Chris", "Claire",
  "Daniel", "David", "Deborah", "Emma", "Gareth", "Gemma", "Graham", "Hannah", "Helen", "Ian", "Jane",
  "Jason", "Joanne", "John", "Karen", "Kate", "Keith", "Laura", "Lee", "Lisa", "Mark", "Martin",
  "Michelle", "Neil", "Nicola", "Paul", "Peter", "Rachel", "Rebecca", "Richard", "Robert", "Ruth", "Sally",
  "Sarah", "Simon", "Stephen", "Stuart", "Susan", "Tom", "Victoria",
] as const;

// biome-ignore format: a compact list of names
const LAST_NAMES = [
  "Ashworth", "Bailey", "Barker", "Bennett", "Bradshaw", "Brooks", "Carter", "Chapman", "Clarke", "Dawson",
  "Dixon", "Ellis", "Fletcher", "Foster", "Gibson", "Graham", "Hall", "Harrison", "Hartley", "Holmes",
  "Hughes", "Jackson", "Kershaw", "Lawson", "Marsh", "Mason", "Mitchell", "Morris", "Naylor", "Owen",
  "Parker", "Pearson", "Porter", "Reid", "Richardson", "Robinson", "Shaw", "Simpson", "Spencer", "Stewart",
  "Sutcliffe", "Thompson", "Turner", "Walker", "Ward", "Watson", "Webster", "Whitaker", "Wood", "Wright",
] as const;

interface TopicSpec {
  title: string;
  purpose: AgendaPurpose;
  /** Person key of the usual presenter. */
  presenter: string;
  sensitive?: boolean;
  /** The decision recorded when the item is taken (decision items). */
  decision?: string;
  /** Actions the item may raise. */
  actions?: readonly string[];
  /** People who declare a registered interest on this item: person key and words from the interest. */
  interested?: readonly (readonly [string, string])[];
}

interface MemberSpec {
  person: string;
  role: MembershipRole;
  /** Joined this many months before now (default: before the demo's history starts). */
  joinedMonthsAgo?: number;
  /** Left this many months before now. */
  leftMonthsAgo?: number;
}

interface ObjectiveSpec {
  title: string;
  measure: string;
  target: string;
  owner: string;
}

interface PrioritySpec {
  title: string;
  objectives: readonly ObjectiveSpec[];
}

interface BoardSpec {
  key: string;
  slug: string;
  name: string;
  shortName: string;
  type: BoardType;
  level: BoardLevel;
  frequency: BoardFrequency;
  quorum: number;
  duration: number;
  preparation: number;
  visibility: "public" | "private";
  sensitiveItemsPublic: "restricted" | "hidden";
  format: MeetingFormat;
  location: string;
  venueCostPence: number;
  cateringPence: number;
  /** When it meets: the nth weekday (0 = Sunday) of every `monthStep`-th month, London time. */
  rule: { weekday: number; nth: number; hour: number; minute: number; monthStep: number; monthPhase: number };
  termsOfReference: string;
  members: readonly MemberSpec[];
  topics: readonly TopicSpec[];
  priorities: readonly PrioritySpec[];
  /** Meetings made deliberately poor value (information only) and poorly attended. */
  poorMeetings: number;
  thinMeetings: number;
  /**
   * Latest held meeting's minutes: still a draft, circulated for comment, or not yet written
   * (the demo secretary's next job).
   */
  latestMinutes: "draft" | "circulated" | "none";
  /** Whether approved minutes are published (private boards keep them approved only). */
  publishes: boolean;
}

const m = (
  person: string,
  role: MembershipRole,
  dates: { joinedMonthsAgo?: number; leftMonthsAgo?: number } = {},
): MemberSpec => ({ person, role, ...dates });

const COUNTY_HALL = "Council Chamber, County Hall, Castle Street, Northam NM1 1QA";
const TEAMS = "Microsoft Teams";

const BOARDS: readonly BoardSpec[] = [
  {
    key: "lcjb",
    slug: "lcjb",
    name: "Northshire Local Criminal Justice Board",
    shortName: "LCJB",
    type: "lcjb",
    level: "local",
    frequency: "bimonthly",
    quorum: 5,
    duration: 120,
    preparation: 60,
    visibility: "public",
    sensitiveItemsPublic: "restricted",
    format: "hybrid",
    location: COUNTY_HALL,
    venueCostPence: 0,
    cateringPence: 6_500,
    rule: { weekday: 4, nth: 2, hour: 10, minute: 0, monthStep: 2, monthPhase: 0 },
    termsOfReference:
      "The Local Criminal Justice Board brings together the criminal justice agencies of Northshire to deliver an efficient and effective criminal justice system that puts victims and witnesses first.\n\nThe board sets the partnership's shared priorities, monitors performance from charge to sentence, removes blockages between agencies and reports to the Police and Crime Commissioner and the national Criminal Justice Board.\n\nQuorum: five member agencies, including the police, the Crown Prosecution Service and HM Courts and Tribunals Service.",
    members: [
      m("pcc", "chair"),
      m("prob-head", "vice_chair"),
      m("opcc-lcjb", "secretary"),
      m("pol-ci", "member", { leftMonthsAgo: 10 }),
      m("pol-supt", "member", { joinedMonthsAgo: 10 }),
      m("cc-director", "member"),
      m("hmcts-cluster", "member"),
      m("cps-deputy", "member"),
      m("hmp-governor", "member"),
      m("yjs-head", "member"),
      m("icb-director", "member"),
      m("nwc-ceo", "member", { joinedMonthsAgo: 18 }),
      m("fire-am", "observer"),
      m("opcc-ceo", "adviser"),
      m("hmcts-delivery", "adviser"),
    ],
    topics: [
      {
        title: "Crown Court backlog and listing recovery plan",
        purpose: "discussion",
        presenter: "hmcts-delivery",
        actions: [
          "Share weekly Crown Court listing data with all partners",
          "Model the effect of additional sitting days on the backlog",
        ],
      },
      {
        title: "Victims' Code compliance: quarterly performance report",
        purpose: "information",
        presenter: "opcc-head",
      },
      {
        title: "Magistrates' court timeliness: charge to first hearing",
        purpose: "information",
        presenter: "hmcts-cluster",
      },
      {
        title: "LCJB business plan: annual refresh",
        purpose: "decision",
        presenter: "opcc-lcjb",
        decision: "The board approved the refreshed business plan and its three priorities.",
        actions: ["Publish the refreshed business plan on the partnership website"],
      },
      {
        title: "Out-of-court resolutions: two-tier framework",
        purpose: "decision",
        presenter: "pol-supt",
        decision: "The board agreed the local eligibility criteria for the two-tier out-of-court framework.",
        actions: ["Brief custody sergeants on the agreed out-of-court criteria"],
      },
      {
        title: "Prison capacity and early release: local impact",
        purpose: "discussion",
        presenter: "hmp-governor",
        sensitive: true,
        actions: ["Agree a release-day protocol for accommodation referrals"],
      },
      {
        title: "Remand population and bail information reports",
        purpose: "discussion",
        presenter: "prob-head",
        actions: ["Audit the take-up of bail information reports at Northam Magistrates' Court"],
      },
      {
        title: "Domestic abuse case file quality: joint police and CPS audit",
        purpose: "discussion",
        presenter: "cps-deputy",
        sensitive: true,
        actions: ["Run a joint case file quality workshop for domestic abuse files"],
      },
      {
        title: "Witness care: attrition and vulnerable witnesses",
        purpose: "information",
        presenter: "pol-supt",
      },
      {
        title: "Liaison and diversion: extending the court-based service",
        purpose: "decision",
        presenter: "icb-director",
        decision: "The board supported the bid to extend liaison and diversion cover to the youth court.",
        actions: ["Submit the liaison and diversion extension bid to NHS England"],
        interested: [["nwc-ceo", "Open Doors"]],
      },
      {
        title: "Partnership risk register",
        purpose: "decision",
        presenter: "opcc-lcjb",
        decision: "The board accepted the revised risk register, adding court backlog as a red risk.",
      },
      {
        title: "National Criminal Justice Board: update",
        purpose: "information",
        presenter: "pcc",
      },
    ],
    priorities: [
      {
        title: "Put victims and witnesses first",
        objectives: [
          {
            title: "Improve Victims' Code compliance",
            measure: "Share of victims offered a needs assessment within 5 days",
            target: "90%",
            owner: "police",
          },
          {
            title: "Reduce witness attrition in domestic abuse cases",
            measure: "Trials cracked or ineffective for witness reasons",
            target: "Below 12%",
            owner: "cps",
          },
        ],
      },
      {
        title: "Speed up justice",
        objectives: [
          {
            title: "Reduce the Crown Court outstanding caseload",
            measure: "Outstanding Crown Court cases",
            target: "Below 1,100",
            owner: "courts",
          },
          {
            title: "Shorten charge to first hearing",
            measure: "Median days from charge to first hearing",
            target: "14 days",
            owner: "courts",
          },
        ],
      },
      {
        title: "Reduce reoffending through early intervention",
        objectives: [
          {
            title: "Increase use of out-of-court resolutions with conditions",
            measure: "Conditional cautions per quarter",
            target: "150",
            owner: "police",
          },
          {
            title: "Extend liaison and diversion",
            measure: "Courts covered by liaison and diversion",
            target: "All four",
            owner: "icb",
          },
        ],
      },
    ],
    poorMeetings: 0,
    thinMeetings: 0,
    latestMinutes: "none",
    publishes: true,
  },
  {
    key: "csp",
    slug: "northam-csp",
    name: "Northam Community Safety Partnership",
    shortName: "Northam CSP",
    type: "csp",
    level: "local",
    frequency: "monthly",
    quorum: 4,
    duration: 90,
    preparation: 30,
    visibility: "public",
    sensitiveItemsPublic: "restricted",
    format: "virtual",
    location: TEAMS,
    venueCostPence: 0,
    cateringPence: 0,
    rule: { weekday: 2, nth: 3, hour: 14, minute: 0, monthStep: 1, monthPhase: 0 },
    termsOfReference:
      "The Northam Community Safety Partnership meets the duties of the Crime and Disorder Act 1998: to reduce crime and disorder, anti-social behaviour, substance misuse and reoffending in Northam.\n\nThe partnership agrees the annual strategic assessment and the partnership plan, oversees domestic homicide reviews, the serious violence duty and the Prevent duty, and commissions the community safety fund.\n\nQuorum: four responsible authorities.",
    members: [
      m("nc-head", "chair"),
      m("pol-insp-csp", "vice_chair"),
      m("nc-cs", "secretary"),
      m("cc-csm", "member"),
      m("fire-sm", "member"),
      m("prob-po1", "member"),
      m("icb-substance", "member"),
      m("nc-asb", "member"),
      m("nc-housing", "member"),
      m("od-manager", "member"),
      m("cc-cso", "member"),
      m("cc-da", "member", { joinedMonthsAgo: 8 }),
      m("fire-advisor", "adviser"),
      m("opcc-policy", "observer"),
    ],
    topics: [
      {
        title: "Strategic assessment: emerging findings",
        purpose: "discussion",
        presenter: "pol-analyst",
        actions: ["Add hospital assault data to the strategic assessment"],
      },
      {
        title: "Anti-social behaviour hotspots: Northam town centre",
        purpose: "discussion",
        presenter: "nc-asb",
        actions: ["Arrange a joint walkabout of the Market Street hotspot"],
      },
      {
        title: "Serious violence duty: strategy refresh",
        purpose: "decision",
        presenter: "cc-csm",
        decision: "The partnership approved the refreshed serious violence strategy for consultation.",
        actions: ["Launch the serious violence strategy consultation"],
      },
      {
        title: "Domestic homicide review: action plan update",
        purpose: "information",
        presenter: "cc-da",
        sensitive: true,
      },
      {
        title: "Safer Streets fund: night-time economy bid",
        purpose: "decision",
        presenter: "nc-cs",
        decision: "The partnership agreed to submit the Safer Streets bid for town centre lighting and CCTV.",
        actions: ["Submit the Safer Streets bid to the Home Office"],
        interested: [["nc-housing", "privately rented"]],
      },
      { title: "Hate crime reporting trends", purpose: "information", presenter: "pol-insp-csp" },
      {
        title: "Deliberate fires in Eastbridge: quarterly update",
        purpose: "information",
        presenter: "fire-sm",
      },
      {
        title: "Prevent duty: quarterly update",
        purpose: "information",
        presenter: "cc-csm",
        sensitive: true,
      },
      {
        title: "County lines and cuckooing of vulnerable tenants",
        purpose: "discussion",
        presenter: "pol-insp-csp",
        sensitive: true,
        actions: ["Agree a cuckooing referral route with Northam housing"],
      },
      { title: "Partner updates", purpose: "information", presenter: "nc-cs" },
      { title: "Community trigger: case reviews completed", purpose: "information", presenter: "nc-asb" },
    ],
    priorities: [
      {
        title: "Tackle anti-social behaviour",
        objectives: [
          {
            title: "Reduce repeat ASB locations",
            measure: "Locations with 5+ ASB reports a month",
            target: "Below 8",
            owner: "city",
          },
          {
            title: "Respond to community triggers on time",
            measure: "Reviews completed within 28 days",
            target: "100%",
            owner: "city",
          },
        ],
      },
      {
        title: "Prevent serious violence",
        objectives: [
          {
            title: "Deliver the serious violence strategy",
            measure: "Strategy actions on track",
            target: "80%",
            owner: "county",
          },
          {
            title: "Reduce hospital admissions for assault with a sharp object",
            measure: "Admissions, rolling 12 months",
            target: "Below 40",
            owner: "icb",
          },
        ],
      },
      {
        title: "Protect vulnerable people",
        objectives: [
          {
            title: "Identify cuckooed addresses earlier",
            measure: "Addresses identified through housing referrals",
            target: "50% of all identified",
            owner: "city",
          },
          {
            title: "Complete domestic homicide reviews on time",
            measure: "Reviews submitted to the Home Office within 12 months",
            target: "100%",
            owner: "county",
          },
        ],
      },
    ],
    poorMeetings: 4,
    thinMeetings: 1,
    latestMinutes: "draft",
    publishes: true,
  },
  {
    key: "rr",
    slug: "reducing-reoffending",
    name: "Northshire Reducing Reoffending Board",
    shortName: "Reducing Reoffending Board",
    type: "reducing_reoffending",
    level: "local",
    frequency: "quarterly",
    quorum: 5,
    duration: 120,
    preparation: 45,
    visibility: "public",
    sensitiveItemsPublic: "restricted",
    format: "in_person",
    location: "Meeting Room 3, Probation Office, 14 Queen Street, Northam NM1 2DX",
    venueCostPence: 0,
    cateringPence: 4_000,
    rule: { weekday: 3, nth: 1, hour: 10, minute: 0, monthStep: 3, monthPhase: 1 },
    termsOfReference:
      "The Reducing Reoffending Board leads the partnership's work on the pathways out of offending: accommodation, employment, health, substance misuse, finance and family.\n\nIt owns the reducing reoffending strategy, agrees commissioning priorities with the Police and Crime Commissioner and holds partners to account for the outcomes of people leaving custody and on probation.\n\nQuorum: five member agencies, including Probation.",
    members: [
      m("prob-head", "chair"),
      m("opcc-head", "vice_chair"),
      m("prob-partnerships", "secretary"),
      m("pol-ci", "member"),
      m("hmp-resettlement", "member"),
      m("icb-liaison", "member"),
      m("icb-substance", "member"),
      m("nc-housing", "member"),
      m("od-ceo", "member"),
      m("nwc-manager", "member"),
      m("cc-head-cs", "member"),
      m("pol-di-iom", "member"),
      m("prob-spo-iom", "member"),
      m("od-manager", "member"),
    ],
    topics: [
      {
        title: "Accommodation on release: CAS3 availability",
        purpose: "discussion",
        presenter: "nc-housing",
        actions: ["Report weekly on prison leavers released without settled accommodation"],
        interested: [["od-ceo", "Open Doors Housing"]],
      },
      {
        title: "Employment, training and education pathway",
        purpose: "information",
        presenter: "hmp-resettlement",
      },
      {
        title: "Continuity of substance misuse treatment on release",
        purpose: "discussion",
        presenter: "icb-substance",
        actions: ["Agree a same-day treatment appointment process for prison leavers"],
      },
      {
        title: "Women's pathway: funding the Women's Centre hub",
        purpose: "decision",
        presenter: "opcc-head",
        decision: "The board agreed to fund the Women's Centre hub for a further two years.",
        actions: ["Issue the Women's Centre hub grant agreement"],
        interested: [["od-ceo", "Women's Centre"]],
      },
      {
        title: "Proven reoffending rates: latest release",
        purpose: "information",
        presenter: "prob-partnerships",
      },
      {
        title: "Reducing reoffending strategy",
        purpose: "decision",
        presenter: "prob-head",
        decision: "The board approved the reducing reoffending strategy for publication.",
        actions: ["Publish the reducing reoffending strategy"],
      },
      {
        title: "Deferred prosecution pilot for young adults",
        purpose: "decision",
        presenter: "pol-ci",
        decision: "The board agreed to pilot deferred prosecution for 18 to 24 year olds in Northam.",
        actions: ["Draft the deferred prosecution pilot evaluation plan"],
      },
      { title: "Commissioned services: budget monitoring", purpose: "information", presenter: "opcc-head" },
      { title: "Prison leavers: case studies", purpose: "information", presenter: "hmp-resettlement" },
    ],
    priorities: [
      {
        title: "Settled accommodation for everyone leaving custody",
        objectives: [
          {
            title: "Reduce releases to no fixed abode",
            measure: "Prison leavers housed on the night of release",
            target: "90%",
            owner: "city",
          },
          {
            title: "Increase CAS3 bed spaces",
            measure: "Bed spaces available in Northshire",
            target: "45",
            owner: "probation",
          },
        ],
      },
      {
        title: "Recovery from drug and alcohol dependence",
        objectives: [
          {
            title: "Continuity of care on release",
            measure: "Prison leavers engaging with treatment within 3 weeks",
            target: "60%",
            owner: "icb",
          },
          {
            title: "Expand peer mentoring",
            measure: "Active peer mentors",
            target: "25",
            owner: "open-doors",
          },
        ],
      },
      {
        title: "A distinct approach for women",
        objectives: [
          {
            title: "Women's Centre hub referrals",
            measure: "Women referred by probation each quarter",
            target: "120",
            owner: "womens-centre",
          },
        ],
      },
    ],
    poorMeetings: 0,
    thinMeetings: 1,
    latestMinutes: "draft",
    publishes: true,
  },
  {
    key: "iom",
    slug: "iom-steering-group",
    name: "Integrated Offender Management Steering Group",
    shortName: "IOM Steering Group",
    type: "other",
    level: "local",
    frequency: "monthly",
    quorum: 3,
    duration: 90,
    preparation: 20,
    visibility: "public",
    sensitiveItemsPublic: "hidden",
    format: "virtual",
    location: TEAMS,
    venueCostPence: 0,
    cateringPence: 0,
    rule: { weekday: 1, nth: 2, hour: 13, minute: 30, monthStep: 1, monthPhase: 0 },
    termsOfReference:
      "The IOM Steering Group oversees Northshire's integrated offender management scheme: the fixed, flex and free cohorts of people whose offending causes the most harm.\n\nIt agrees cohort selection, monitors performance and unblocks access to housing, treatment and employment for the cohort. It reports to the Reducing Reoffending Board.",
    members: [
      m("pol-di-iom", "chair"),
      m("prob-spo-iom", "vice_chair"),
      m("prob-partnerships", "secretary"),
      m("pol-ci", "member"),
      m("hmp-resettlement", "member"),
      m("icb-liaison", "member"),
      m("icb-substance", "member"),
      m("nc-housing", "member"),
      m("od-ceo", "member"),
      m("od-manager", "member"),
      m("nwc-manager", "member"),
      m("prob-head", "adviser"),
    ],
    topics: [
      {
        title: "IOM cohort review: fixed, flex and free",
        purpose: "discussion",
        presenter: "pol-di-iom",
        sensitive: true,
        actions: ["Review the flex cohort scoring with probation colleagues"],
      },
      {
        title: "Electronic monitoring: acquisitive crime tags",
        purpose: "information",
        presenter: "prob-spo-iom",
      },
      { title: "IOM performance dashboard", purpose: "information", presenter: "pol-analyst" },
      {
        title: "Cohort changes: nominations and de-selections",
        purpose: "decision",
        presenter: "prob-spo-iom",
        sensitive: true,
        decision: "The group agreed the nominations and de-selections set out in the restricted annex.",
        actions: ["Update the IOM cohort list on the case management system"],
      },
      {
        title: "Housing referrals for the IOM cohort",
        purpose: "discussion",
        presenter: "nc-housing",
        actions: ["Fast-track housing assessments for fixed cohort members"],
      },
      { title: "Drug testing on arrest: results", purpose: "information", presenter: "pol-di-iom" },
      { title: "Partner updates", purpose: "information", presenter: "prob-partnerships" },
    ],
    priorities: [
      {
        title: "Reduce offending by the IOM cohort",
        objectives: [
          {
            title: "Reduce reoffending by the fixed cohort",
            measure: "Reduction in offences, 12 months before and after adoption",
            target: "40%",
            owner: "police",
          },
          {
            title: "Tag eligible acquisitive offenders",
            measure: "Eligible releases fitted with a GPS tag",
            target: "95%",
            owner: "probation",
          },
        ],
      },
      {
        title: "Stabilise lives",
        objectives: [
          {
            title: "Settled housing for the cohort",
            measure: "Cohort members in settled accommodation",
            target: "75%",
            owner: "city",
          },
          {
            title: "Treatment engagement",
            measure: "Cohort members engaging with treatment",
            target: "70%",
            owner: "icb",
          },
        ],
      },
    ],
    poorMeetings: 2,
    thinMeetings: 0,
    latestMinutes: "circulated",
    publishes: true,
  },
  {
    key: "mappa",
    slug: "mappa-smb",
    name: "Northshire MAPPA Strategic Management Board",
    shortName: "MAPPA SMB",
    type: "mappa_smb",
    level: "local",
    frequency: "quarterly",
    quorum: 3,
    duration: 150,
    preparation: 60,
    visibility: "private",
    sensitiveItemsPublic: "hidden",
    format: "in_person",
    location: "Boardroom, Police Headquarters, Ridgeway, Northam NM3 8PL",
    venueCostPence: 0,
    cateringPence: 5_000,
    rule: { weekday: 4, nth: 3, hour: 9, minute: 30, monthStep: 3, monthPhase: 0 },
    termsOfReference:
      "The MAPPA Strategic Management Board is the Responsible Authority's board for multi-agency public protection arrangements in Northshire (Criminal Justice Act 2003, sections 325 to 327B).\n\nIt monitors and reviews how the arrangements work, commissions serious case reviews, publishes the annual report, appoints lay advisers and makes sure the duty to co-operate agencies play their part.",
    members: [
      m("pol-supt", "chair"),
      m("prob-head", "vice_chair"),
      m("prob-spo-mappa", "secretary"),
      m("hmp-deputy", "member"),
      m("pol-di-ppu", "member"),
      m("icb-safeguarding", "member"),
      m("cc-children", "member"),
      m("nc-housing", "member"),
      m("yjs-manager", "member"),
      m("fire-gm", "member"),
      m("opcc-policy", "observer"),
    ],
    topics: [
      {
        title: "MAPPA annual report",
        purpose: "decision",
        presenter: "prob-spo-mappa",
        decision: "The board approved the MAPPA annual report for publication.",
        actions: ["Send the approved annual report to the MAPPA Strategy and Policy Unit"],
      },
      {
        title: "Serious case review: learning and recommendations",
        purpose: "discussion",
        presenter: "pol-di-ppu",
        sensitive: true,
        actions: ["Deliver serious case review learning briefings to level 2 chairs"],
      },
      {
        title: "Level 2 and 3 case volumes and key performance indicators",
        purpose: "information",
        presenter: "prob-spo-mappa",
      },
      { title: "ViSOR access and vetting", purpose: "information", presenter: "pol-di-ppu", sensitive: true },
      {
        title: "Duty to co-operate agencies: attendance at level 2 meetings",
        purpose: "discussion",
        presenter: "prob-spo-mappa",
        actions: ["Write to duty to co-operate agencies with poor level 2 attendance"],
      },
      {
        title: "Lay adviser recruitment",
        purpose: "decision",
        presenter: "prob-head",
        decision: "The board agreed to recruit two lay advisers.",
        actions: ["Advertise the two lay adviser vacancies"],
      },
      {
        title: "Audit of MAPPA meeting minutes",
        purpose: "discussion",
        presenter: "prob-spo-mappa",
        actions: ["Repeat the minutes audit with a sample of 20 cases"],
      },
      {
        title: "Critical public protection cases",
        purpose: "discussion",
        presenter: "pol-di-ppu",
        sensitive: true,
      },
    ],
    priorities: [
      {
        title: "Effective management of level 2 and 3 cases",
        objectives: [
          {
            title: "Timely level 2 and 3 reviews",
            measure: "Reviews held within the required period",
            target: "95%",
            owner: "probation",
          },
          {
            title: "Full partner attendance",
            measure: "Level 2 meetings with all invited agencies present",
            target: "85%",
            owner: "police",
          },
        ],
      },
      {
        title: "Learning from serious case reviews",
        objectives: [
          {
            title: "Complete serious case review actions",
            measure: "Recommendations completed on time",
            target: "100%",
            owner: "police",
          },
        ],
      },
    ],
    poorMeetings: 0,
    thinMeetings: 0,
    latestMinutes: "draft",
    publishes: false,
  },
  {
    key: "yj",
    slug: "youth-justice",
    name: "Northshire Youth Justice Management Board",
    shortName: "Youth Justice Board",
    type: "youth_justice",
    level: "local",
    frequency: "quarterly",
    quorum: 4,
    duration: 120,
    preparation: 45,
    visibility: "public",
    sensitiveItemsPublic: "restricted",
    format: "hybrid",
    location: "Room 2.14, County Hall, Castle Street, Northam NM1 1QA",
    venueCostPence: 0,
    cateringPence: 3_000,
    rule: { weekday: 2, nth: 4, hour: 10, minute: 0, monthStep: 3, monthPhase: 2 },
    termsOfReference:
      "The Youth Justice Management Board oversees Northshire Youth Justice Service under the Crime and Disorder Act 1998, section 39.\n\nIt sets the strategic direction of the service, approves the annual youth justice plan, monitors the national key performance indicators and makes sure statutory partners contribute staff and funding.",
    members: [
      m("cc-director", "chair"),
      m("pol-ci", "vice_chair"),
      m("yjs-manager", "secretary"),
      m("yjs-head", "adviser"),
      m("prob-po2", "member"),
      m("icb-commissioning", "member"),
      m("hmcts-legal", "member"),
      m("cc-children", "member"),
      m("fire-gm", "member"),
      m("nc-asb", "member"),
      m("opcc-policy", "observer"),
    ],
    topics: [
      {
        title: "Youth justice plan",
        purpose: "decision",
        presenter: "yjs-head",
        decision: "The board approved the youth justice plan for submission to the Youth Justice Board.",
        actions: ["Submit the youth justice plan to the Youth Justice Board"],
      },
      {
        title: "First-time entrants and reoffending: key performance indicators",
        purpose: "information",
        presenter: "yjs-manager",
      },
      {
        title: "Children in custody and on remand",
        purpose: "discussion",
        presenter: "yjs-head",
        sensitive: true,
        actions: ["Review remand decisions for children with the youth court legal adviser"],
      },
      {
        title: "Turnaround programme: prevention outcomes",
        purpose: "information",
        presenter: "yjs-manager",
      },
      {
        title: "Inspection readiness",
        purpose: "discussion",
        presenter: "yjs-head",
        actions: ["Complete the inspection self-assessment"],
      },
      {
        title: "Serious youth violence",
        purpose: "discussion",
        presenter: "pol-ci",
        actions: ["Map serious youth violence incidents against school exclusions"],
      },
      {
        title: "Partner funding contributions",
        purpose: "decision",
        presenter: "yjs-head",
        decision: "Partners agreed their contributions to the youth justice pooled budget.",
        actions: ["Confirm partner contributions in writing"],
        interested: [["cc-director", "Northam College"]],
      },
      {
        title: "Education, training and employment for children in the justice system",
        purpose: "discussion",
        presenter: "yjs-education",
        actions: ["Agree an alternative provision pathway with the county's education team"],
      },
    ],
    priorities: [
      {
        title: "Fewer children entering the justice system",
        objectives: [
          {
            title: "Reduce first-time entrants",
            measure: "First-time entrants per 100,000 10 to 17 year olds",
            target: "Below 150",
            owner: "yjs",
          },
        ],
      },
      {
        title: "Safer children, safer communities",
        objectives: [
          {
            title: "Reduce reoffending by children",
            measure: "Binary reoffending rate",
            target: "Below 30%",
            owner: "yjs",
          },
          {
            title: "Reduce use of custody",
            measure: "Custodial sentences per 1,000 10 to 17 year olds",
            target: "Below 0.1",
            owner: "courts",
          },
        ],
      },
      {
        title: "Children in education",
        objectives: [
          {
            title: "Education, training or employment at the end of an order",
            measure: "Children in suitable ETE at order end",
            target: "75%",
            owner: "county",
          },
        ],
      },
    ],
    poorMeetings: 0,
    thinMeetings: 1,
    latestMinutes: "circulated",
    publishes: true,
  },
  {
    key: "regional",
    slug: "north-region-cj-group",
    name: "North Region Criminal Justice Group",
    shortName: "North Region Group",
    type: "regional_group",
    level: "regional",
    frequency: "quarterly",
    quorum: 4,
    duration: 180,
    preparation: 90,
    visibility: "public",
    sensitiveItemsPublic: "restricted",
    format: "virtual",
    location: TEAMS,
    venueCostPence: 0,
    cateringPence: 0,
    rule: { weekday: 5, nth: 2, hour: 10, minute: 0, monthStep: 3, monthPhase: 1 },
    termsOfReference:
      "The North Region Criminal Justice Group brings together the Local Criminal Justice Boards, probation, prisons and courts of the North region to share performance, agree regional commissioning and respond to national policy.\n\nQuorum: four member agencies.",
    members: [
      m("prob-director", "chair"),
      m("opcc-ceo", "vice_chair"),
      m("opcc-policy", "secretary"),
      m("hmp-governor", "member"),
      m("hmcts-cluster", "member"),
      m("cps-senior", "member"),
      m("pol-supt", "member"),
      m("icb-director", "member"),
      m("yjs-head", "member"),
      m("pcc", "observer"),
    ],
    topics: [
      {
        title: "Regional reducing reoffending plan",
        purpose: "discussion",
        presenter: "prob-director",
        actions: ["Collate each area's reoffending priorities for the regional plan"],
      },
      { title: "Probation workforce and caseloads", purpose: "information", presenter: "prob-director" },
      {
        title: "Court estate and capacity across the region",
        purpose: "information",
        presenter: "hmcts-cluster",
      },
      {
        title: "Regional commissioning of accommodation services",
        purpose: "decision",
        presenter: "opcc-ceo",
        decision: "The group agreed to commission accommodation services jointly across the region.",
        actions: ["Draft the joint accommodation commissioning specification"],
      },
      {
        title: "Data sharing agreement: refresh",
        purpose: "decision",
        presenter: "opcc-policy",
        decision: "The group approved the refreshed regional data sharing agreement.",
      },
      { title: "National policy updates", purpose: "information", presenter: "opcc-ceo" },
      {
        title: "Sentencing review: implications for partners",
        purpose: "information",
        presenter: "cps-senior",
      },
    ],
    priorities: [
      {
        title: "Consistent services across the region",
        objectives: [
          {
            title: "Joint accommodation commissioning",
            measure: "Areas in the joint contract",
            target: "All five",
            owner: "opcc",
          },
          {
            title: "Regional data sharing",
            measure: "Partners signed up to the agreement",
            target: "100%",
            owner: "opcc",
          },
        ],
      },
      {
        title: "Respond to national reform",
        objectives: [
          {
            title: "Prepare for sentencing reform",
            measure: "Local impact assessments completed",
            target: "All areas",
            owner: "probation",
          },
        ],
      },
    ],
    poorMeetings: 2,
    thinMeetings: 0,
    latestMinutes: "draft",
    publishes: true,
  },
];

/** Registered interests (person key, description, months ago declared, months ago ended). */
const INTERESTS: readonly (readonly [string, string, number, number | null])[] = [
  ["nwc-ceo", "Trustee of Open Doors Northshire, a commissioned resettlement provider", 30, null],
  ["od-ceo", "Director of Open Doors Housing CIC, which bids for accommodation contracts", 36, null],
  ["od-ceo", "Trustee of Northshire Women's Centre", 20, null],
  [
    "cc-director",
    "Governor of Northam College, an education provider for children in the justice system",
    34,
    null,
  ],
  ["nc-housing", "Owns two privately rented properties in Northam", 28, null],
  ["hmp-governor", "Trustee of Northshire Prisoners' Families, a charity", 26, null],
  ["icb-substance", "Spouse employed by Northam Recovery Service, a commissioned treatment provider", 32, 6],
  ["opcc-head", "Former employee of Northshire Women's Centre", 40, 22],
];

const CANCELLATION_REASONS = [
  "Not quorate: too many apologies received in advance",
  "Clashed with the regional criminal justice conference",
  "Venue unavailable: County Hall closed for the elections count",
  "No decision items: partners received a written update instead",
  "Chair unwell; business carried forward to the next meeting",
] as const;

const DISCUSSION_LINES = [
  "Members discussed the pressures described in the paper and agreed that partners would share their data before the next meeting.",
  "Partners welcomed the progress but noted that capacity remains the main risk.",
  "The board asked for a clearer picture of the impact on victims and on people on probation.",
  "Members agreed the issue needs joint work between agencies rather than a single-agency fix.",
  "Partners noted differences in how agencies record the data and asked for a common definition.",
] as const;

const INFORMATION_LINES = [
  "The report was noted. Members had no further questions.",
  "The update was noted; questions were answered in the meeting.",
  "Members noted the report and thanked the presenter.",
] as const;

const COMMENT_LINES = [
  "Could we record that the police figures were provisional?",
  "Minor correction: the court sitting days were 40, not 44.",
  "Please add that the Women's Centre offered to host the next workshop.",
  "I sent apologies for this meeting but am listed as absent.",
  "The action on listing data should sit with HMCTS, not the CPS.",
] as const;

const UPDATE_LINES = [
  "Initial meeting held with partners; scoping under way.",
  "Draft shared with partners for comment.",
  "Waiting on data from one partner; chased this week.",
  "Good progress: first phase complete.",
  "Discussed at the team meeting; lead officer assigned.",
] as const;

const FEEDBACK_COMMENTS = {
  poor: [
    "Could have been a written update.",
    "Nothing needed a decision today.",
    "Too long for the business covered.",
  ],
  good: ["Focused and useful.", "Clear decisions and owners.", "Good papers, sent in time."],
} as const;
