import type { Verdict } from "../../db/schema";
import type { TagColour } from "../components/tag";
import { formatPence, pluralise } from "../format";

/*
 * "Is this meeting worth holding?" (DESIGN.md): the verdict on a held meeting and its
 * reasons in plain words. Client-safe: the labels are used by pages and the rule by the
 * rollups (app/costs/rollups.server.ts), which store each meeting's verdict.
 *
 * - outcomes: decisions recorded + actions raised + the board's actions completed since
 *   its previous meeting.
 * - consider stopping (could be a written update): no decisions, no actions raised, and at
 *   least the workspace's share (default 60 %) of agenda items were for information.
 * - review: cost per outcome above the workspace threshold (default £750; no outcomes at a
 *   cost counts as above it), quorum not met, or fewer than the workspace's share (default
 *   half) of those invited attended.
 * - worth holding: otherwise.
 * Attendee feedback is one of the reasons shown, never a rule of its own.
 */

export type { Verdict };

export const VERDICTS = [
  "worth_holding",
  "review",
  "consider_stopping",
] as const satisfies readonly Verdict[];

export const VERDICT_LABELS: Record<Verdict, string> = {
  worth_holding: "Worth holding",
  review: "Review",
  consider_stopping: "Consider stopping",
};

/** GOV.UK tag colours (govuk-tag--…). */
export const VERDICT_TAG_COLOURS: Record<Verdict, TagColour> = {
  worth_holding: "green",
  review: "yellow",
  consider_stopping: "red",
};

export interface VerdictThresholds {
  reviewCostPerOutcomePence: number;
  stopInformationSharePct: number;
  reviewAttendanceSharePct: number;
}

export interface MeetingFigures {
  costPence: number;
  invited: number;
  attended: number;
  agenciesPresent: number;
  quorum: number;
  items: number;
  informationItems: number;
  decisions: number;
  actionsRaised: number;
  actionsCompletedSincePrevious: number;
  feedbackCount: number;
  feedbackAverage: number | null;
}

/** "1 decision, 2 actions raised and 1 action completed since the last meeting", or "no decisions or actions". */
function outcomesInWords(f: MeetingFigures): string {
  const parts = [
    f.decisions > 0 ? pluralise(f.decisions, "decision") : null,
    f.actionsRaised > 0 ? `${pluralise(f.actionsRaised, "action")} raised` : null,
    f.actionsCompletedSincePrevious > 0
      ? `${pluralise(f.actionsCompletedSincePrevious, "action")} completed since the last meeting`
      : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return "no decisions or actions";
  if (parts.length === 1) return parts[0] as string;
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export function outcomesOf(f: MeetingFigures): number {
  return f.decisions + f.actionsRaised + f.actionsCompletedSincePrevious;
}

/** The meeting's verdict and every reason for it, in the order a reader needs them. */
export function judgeMeeting(
  f: MeetingFigures,
  t: VerdictThresholds,
): { verdict: Verdict; reasons: string[] } {
  const outcomes = outcomesOf(f);
  const reasons = [`${formatPence(f.costPence)} for ${outcomesInWords(f)}`];

  const informationHeavy = f.items > 0 && f.informationItems * 100 >= t.stopInformationSharePct * f.items;
  if (f.decisions === 0 && f.actionsRaised === 0 && informationHeavy) {
    reasons.push(
      `${f.informationItems} of ${f.items} ${f.items === 1 ? "item was" : "items were"} for information`,
      "No decisions made and no actions raised: this could be a written update",
    );
    return { verdict: "consider_stopping", reasons: withFeedback(reasons, f) };
  }

  const review: string[] = [];
  if (
    outcomes === 0
      ? f.costPence > t.reviewCostPerOutcomePence
      : f.costPence > t.reviewCostPerOutcomePence * outcomes
  ) {
    review.push(
      outcomes === 0
        ? `No outcomes for ${formatPence(f.costPence)}`
        : `${formatPence(Math.round(f.costPence / outcomes))} per outcome, above the ${formatPence(t.reviewCostPerOutcomePence)} limit`,
    );
  }
  if (f.agenciesPresent < f.quorum) {
    review.push(
      `Not quorate: ${f.agenciesPresent} of the ${f.quorum} agencies needed ${f.agenciesPresent === 1 ? "was" : "were"} present`,
    );
  }
  if (f.invited > 0 && f.attended * 100 < t.reviewAttendanceSharePct * f.invited) {
    review.push(`Only ${f.attended} of ${f.invited} invited attended`);
  }
  if (review.length > 0) return { verdict: "review", reasons: withFeedback([...reasons, ...review], f) };

  if (f.invited > 0) reasons.push(`${f.attended} of ${f.invited} invited attended`);
  return { verdict: "worth_holding", reasons: withFeedback(reasons, f) };
}

function withFeedback(reasons: string[], f: MeetingFigures): string[] {
  if (f.feedbackCount === 0 || f.feedbackAverage === null) return reasons;
  return [...reasons, feedbackInWords(f.feedbackAverage, f.feedbackCount)];
}

/** "Rated 3.5 out of 5 by 4 attendees". */
export function feedbackInWords(average: number, count: number): string {
  return `Rated ${average.toFixed(1)} out of 5 by ${pluralise(count, "attendee")}`;
}
