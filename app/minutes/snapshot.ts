import { z } from "zod";
import type { Classification, MeetingFormat } from "../../db/schema";

/*
 * A version of the minutes is a snapshot of the whole document as it was saved: the meeting,
 * who attended, each agenda item's discussion, decisions and actions, and how it was
 * approved. Versions never change once written, so the history, the differences between
 * versions and the public pages (which show the latest *published* version) all read
 * snapshots, never the live tables a secretary may be editing.
 *
 * Plain data and pure functions only: the demo seed builds snapshots in this shape too.
 */

export interface SnapshotPerson {
  name: string;
  agency: string;
}

export interface SnapshotAttendee extends SnapshotPerson {
  remote: boolean;
  /** The member they stood in for, when they came as a deputy. */
  deputyFor: string | null;
}

export interface SnapshotDecision {
  id: number;
  text: string;
}

export interface SnapshotAction {
  id: number;
  title: string;
  classification: Classification;
  ownerAgency: string;
  ownerPerson: string | null;
  /** "YYYY-MM-DD" */
  dueDate: string;
}

/** A declaration of interest made at the meeting (app/declarations). */
export interface SnapshotDeclaration {
  id: number;
  name: string;
  agency: string;
  text: string;
  /** The entry in their register of interests it refers to, if any (not shown publicly). */
  interest: string | null;
}

export interface SnapshotItem {
  agendaItemId: number;
  position: number;
  title: string;
  classification: Classification;
  /** Markdown. */
  discussion: string;
  /** Declarations of interest made against this item. */
  declarations: SnapshotDeclaration[];
  decisions: SnapshotDecision[];
  actions: SnapshotAction[];
}

export interface MinutesSnapshot {
  meeting: {
    id: number;
    boardId: number;
    boardName: string;
    /** ISO instant. */
    startsAt: string;
    durationMinutes: number;
    format: MeetingFormat;
    location: string;
  };
  attendance: {
    present: SnapshotAttendee[];
    apologies: SnapshotPerson[];
    absent: SnapshotPerson[];
  };
  /** Declarations of interest made for the meeting as a whole (not against one item). */
  declarations: SnapshotDeclaration[];
  items: SnapshotItem[];
  /** Set once approved: when, and at which meeting (null: approved by the chair). */
  approval: { approvedAt: string; atMeeting: { id: number; startsAt: string } | null } | null;
}

const classification = z.enum(["official", "official_sensitive"]).catch("official_sensitive");
const person = z.object({ name: z.string().catch(""), agency: z.string().catch("") });
// Versions written before declarations were part of the minutes have none.
const declarations = z
  .array(
    person.extend({
      id: z.number(),
      text: z.string().catch(""),
      interest: z.string().nullable().catch(null),
    }),
  )
  .catch([]);

// Lenient on purpose: an unexpected value in an old snapshot degrades (a sensitive default,
// an empty list) rather than breaking the page.
const snapshotSchema = z.object({
  meeting: z.object({
    id: z.number().catch(0),
    boardId: z.number().catch(0),
    boardName: z.string().catch(""),
    startsAt: z.string().catch(new Date(0).toISOString()),
    durationMinutes: z.number().catch(0),
    format: z.enum(["in_person", "virtual", "hybrid"]).catch("in_person"),
    location: z.string().catch(""),
  }),
  attendance: z
    .object({
      present: z
        .array(
          person.extend({ remote: z.boolean().catch(false), deputyFor: z.string().nullable().catch(null) }),
        )
        .catch([]),
      apologies: z.array(person).catch([]),
      absent: z.array(person).catch([]),
    })
    .catch({ present: [], apologies: [], absent: [] }),
  declarations,
  items: z
    .array(
      z.object({
        agendaItemId: z.number(),
        position: z.number().catch(0),
        title: z.string().catch(""),
        classification,
        discussion: z.string().catch(""),
        declarations,
        decisions: z.array(z.object({ id: z.number(), text: z.string() })).catch([]),
        actions: z
          .array(
            z.object({
              id: z.number(),
              title: z.string(),
              classification,
              ownerAgency: z.string().catch(""),
              ownerPerson: z.string().nullable().catch(null),
              dueDate: z.string().catch(""),
            }),
          )
          .catch([]),
      }),
    )
    .catch([]),
  approval: z
    .object({
      approvedAt: z.string(),
      atMeeting: z.object({ id: z.number(), startsAt: z.string() }).nullable().catch(null),
    })
    .nullable()
    .catch(null),
}) satisfies z.ZodType<MinutesSnapshot>;

/** A stored snapshot (jsonb) as a MinutesSnapshot; null if it is not one at all. */
export function parseSnapshot(value: unknown): MinutesSnapshot | null {
  const parsed = snapshotSchema.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  return parsed.success ? parsed.data : null;
}

/** How a board shows its OFFICIAL-SENSITIVE items to the public (boards.sensitive_items_public). */
export type SensitiveItemsPublic = "restricted" | "hidden";

export interface PublicItem extends SnapshotItem {
  /** OFFICIAL-SENSITIVE: only the title is shown, marked "Restricted". */
  restricted: boolean;
}

/** A declaration as the public sees it: who and what, without their register's wording. */
function publicDeclaration(declaration: SnapshotDeclaration): SnapshotDeclaration {
  return { ...declaration, interest: null };
}

/** Declarations for the meeting as a whole, as the public may see them. */
export function publicMeetingDeclarations(snapshot: MinutesSnapshot): SnapshotDeclaration[] {
  return snapshot.declarations.map(publicDeclaration);
}

/**
 * The snapshot as the public may see it. An OFFICIAL-SENSITIVE item keeps only its title
 * (restricted) or disappears (hidden); its discussion, declarations, decisions and actions
 * never leave here. An OFFICIAL-SENSITIVE action raised under an OFFICIAL item is left out too.
 */
export function publicItems(snapshot: MinutesSnapshot, mode: SensitiveItemsPublic): PublicItem[] {
  return snapshot.items.flatMap((item): PublicItem[] => {
    if (item.classification !== "official") {
      if (mode === "hidden") return [];
      return [
        {
          agendaItemId: item.agendaItemId,
          position: item.position,
          title: item.title,
          classification: item.classification,
          discussion: "",
          declarations: [],
          decisions: [],
          actions: [],
          restricted: true,
        },
      ];
    }
    return [
      {
        ...item,
        declarations: item.declarations.map(publicDeclaration),
        actions: item.actions.filter((action) => action.classification === "official"),
        restricted: false,
      },
    ];
  });
}

/** Counts for a summary line: decisions and actions on the items given. */
export function outcomeCounts(items: readonly SnapshotItem[]): { decisions: number; actions: number } {
  return {
    decisions: items.reduce((n, item) => n + item.decisions.length, 0),
    actions: items.reduce((n, item) => n + item.actions.length, 0),
  };
}
