import type { z } from "zod";
import type { Viewer } from "../auth/viewer.server";
import { getAgencyBurden } from "../costs/agency-burden.server";
import { getBoardCosts } from "../costs/board-rollups.server";
import { financialYearLabel, lastTwelveMonths } from "../costs/periods";
import type { AgencyRollupSchema, agencyRollupQuery, BoardRollupSchema } from "./rollup-schemas";

/*
 * The board and agency rollup endpoints, from the same domain functions as the pages
 * (getBoardCosts, getAgencyBurden), so the API and the pages cannot disagree.
 */

export async function boardRollupJson(
  viewer: Viewer,
  boardId: number,
): Promise<z.input<typeof BoardRollupSchema>> {
  const { board, rollup, scenarios } = await getBoardCosts(viewer, boardId);
  const t = rollup.totals;
  return {
    board_id: board.id,
    from: rollup.period.from,
    to: rollup.period.to,
    cost_pence: t.costPence,
    meetings_held: t.held,
    meetings_cancelled: rollup.cancelled,
    person_minutes: t.personMinutes,
    decisions: t.decisions,
    outcomes: t.outcomes,
    cost_per_decision_pence: rollup.costPerDecisionPence,
    cost_per_outcome_pence: rollup.costPerOutcomePence,
    actions_due: rollup.onTime.due,
    actions_done_on_time: rollup.onTime.doneOnTime,
    verdicts: { worth_holding: t.worthHolding, review: t.review, consider_stopping: t.considerStopping },
    sunset_review: rollup.sunset,
    scheduled_meetings: rollup.projection.scheduled,
    projected_annual_pence: rollup.projection.projectedPence,
    by_year: rollup.byYear.map((y) => ({
      financial_year: financialYearLabel(y.year),
      meetings_held: y.held,
      cost_pence: y.costPence,
      outcomes: y.outcomes,
    })),
    by_quarter: rollup.byQuarter.map((q) => ({
      quarter_start: q.quarter,
      meetings_held: q.held,
      cost_pence: q.costPence,
      outcomes: q.outcomes,
      cost_per_outcome_pence: q.costPerOutcomePence,
    })),
    by_agency: rollup.byAgency.map((a) => ({
      agency_id: a.agencyId,
      agency_name: a.agencyName,
      invited: a.invited,
      attended: a.attended,
      apologies: a.apologies,
      deputies: a.deputies,
      cost_pence: a.costPence,
    })),
    scenarios: scenarios.scenarios.map((s) => ({
      kind: s.kind,
      annual_pence: s.annualPence,
      saving_pence: s.savingPence,
    })),
  };
}

export async function agencyRollupJson(
  viewer: Viewer,
  agencyId: number,
  query: z.output<typeof agencyRollupQuery>,
): Promise<z.input<typeof AgencyRollupSchema>> {
  const fallback = lastTwelveMonths();
  const period = { from: query.from ?? fallback.from, to: query.to ?? fallback.to };
  const burden = await getAgencyBurden(viewer, agencyId, period);
  const totals = (b: { meetings: number; personMinutes: number; costPence: number }) => ({
    meetings: b.meetings,
    person_minutes: b.personMinutes,
    cost_pence: b.costPence,
  });
  return {
    agency_id: burden.agency.id,
    agency_name: burden.agency.name,
    from: period.from,
    to: period.to,
    ...totals(burden.totals),
    by_board: burden.byBoard.map((b) => ({ board_id: b.boardId, board_name: b.boardName, ...totals(b) })),
    grades: burden.grades.map((g) => ({ grade_name: g.gradeName, people: g.people, ...totals(g) })),
    people: burden.people.map((p) => ({
      person_id: p.personId,
      name: p.name,
      grade_name: p.gradeName,
      ...totals(p),
    })),
  };
}
