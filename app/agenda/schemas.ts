import { z } from "zod";
import type { AgendaPurpose, Classification, StandingKind } from "../../db/schema";

/*
 * Form schemas for the agenda builder and its papers, shared by the pages (constraints)
 * and the actions (validation).
 */

export const PURPOSES = ["decision", "discussion", "information"] as const satisfies readonly AgendaPurpose[];
export const CLASSIFICATIONS = [
  "official",
  "official_sensitive",
] as const satisfies readonly Classification[];

export const PURPOSE_LABELS: Record<AgendaPurpose, string> = {
  decision: "Decision",
  discussion: "Discussion",
  information: "Information",
};

export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  official: "OFFICIAL",
  official_sensitive: "OFFICIAL-SENSITIVE",
};

export const STANDING_LABELS: Record<StandingKind, string> = {
  previous_minutes: "Minutes of the last meeting",
  matters_arising: "Matters arising",
  action_log_review: "Action log review",
};

export const MAX_TITLE = 300;
export const MAX_MINUTES_ALLOWED = 720;

export const agendaItemSchema = z.object({
  title: z
    .string({ error: "Enter a title" })
    .trim()
    .min(1, "Enter a title")
    .max(MAX_TITLE, `Title must be ${MAX_TITLE} characters or fewer`),
  purpose: z.enum(PURPOSES, { error: "Choose the purpose of the item" }),
  presenter_person_id: z
    .number({ error: "Choose a presenter from the list" })
    .int("Choose a presenter from the list")
    .positive("Choose a presenter from the list")
    .optional(),
  minutes_allowed: z
    .number({
      error: (issue) =>
        issue.input === undefined ? "Enter the minutes allowed" : "Minutes allowed must be a whole number",
    })
    .int("Minutes allowed must be a whole number")
    .min(0, "Minutes allowed must be 0 or more")
    .max(MAX_MINUTES_ALLOWED, `Minutes allowed must be ${MAX_MINUTES_ALLOWED} (12 hours) or fewer`),
  classification: z.enum(CLASSIFICATIONS, { error: "Choose a classification" }),
});

export type AgendaItemInput = z.output<typeof agendaItemSchema>;

/** A paper: the file is checked for size and type in the schema, and for its first bytes on the server. */
export const MAX_PAPER_BYTES = 10 * 1024 * 1024;

export const paperSchema = z.object({
  paper: z.custom<File>((value) => typeof File !== "undefined" && value instanceof File && value.size > 0, {
    message: "Select a file to upload",
  }),
});

export const CANCELLED_MESSAGE = "This meeting has been cancelled, so its agenda cannot be changed";

export type Magic = "pdf" | "zip" | "text";

export interface PaperKind {
  extensions: readonly string[];
  /** "a PDF", "a Word document": for the message when the contents are not what the name says. */
  label: string;
  /** The type we store and serve (never the browser's word for it). */
  contentType: string;
  /** Other types browsers declare for the same file. */
  alsoDeclaredAs?: readonly string[];
  magic: Magic;
}

/** The kinds of paper accepted (the page lists them; papers.server.ts checks them). */
export const PAPER_KINDS: readonly PaperKind[] = [
  { extensions: ["pdf"], label: "a PDF", contentType: "application/pdf", magic: "pdf" },
  {
    extensions: ["docx"],
    label: "a Word document",
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: "zip",
  },
  {
    extensions: ["xlsx"],
    label: "an Excel spreadsheet",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: "zip",
  },
  {
    extensions: ["pptx"],
    label: "a PowerPoint presentation",
    contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    magic: "zip",
  },
  {
    extensions: ["odt"],
    label: "an OpenDocument text document",
    contentType: "application/vnd.oasis.opendocument.text",
    magic: "zip",
  },
  {
    extensions: ["ods"],
    label: "an OpenDocument spreadsheet",
    contentType: "application/vnd.oasis.opendocument.spreadsheet",
    magic: "zip",
  },
  {
    extensions: ["odp"],
    label: "an OpenDocument presentation",
    contentType: "application/vnd.oasis.opendocument.presentation",
    magic: "zip",
  },
  { extensions: ["txt"], label: "a plain text file", contentType: "text/plain", magic: "text" },
  {
    extensions: ["csv"],
    label: "a CSV file",
    contentType: "text/csv",
    alsoDeclaredAs: ["application/csv", "text/plain", "application/vnd.ms-excel"],
    magic: "text",
  },
];

export const ACCEPTED_EXTENSIONS = PAPER_KINDS.flatMap((k) => k.extensions.map((e) => `.${e}`));
