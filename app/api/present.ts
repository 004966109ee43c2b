import type { z } from "zod";
import type { ActionListItem, ActionPage, ActionUpdateItem, AgencyRef } from "../actions/actions.server";
import type { BoardListItem, BoardPage } from "../boards/boards.server";
import type { MeetingVerdictView } from "../costs/rollups.server";
import { isoTimestamp } from "../format";
import type { MeetingCostView, MeetingPage } from "../meetings/meetings.server";
import type { MeetingListItem } from "../meetings/meetings-list.server";
import type { BoardPlan } from "../plans/plans.server";
import type {
  ActionDetailSchema,
  ActionSchema,
  ActionUpdateSchema,
  BoardDetailSchema,
  BoardPlanSchema,
  BoardSchema,
  MeetingCostSchema,
  MeetingDetailSchema,
  MeetingSchema,
} from "./schemas";

/*
 * What the domain modules return, in the API's words: snake_case, instants as ISO 8601
 * with London's offset, money in pence. Only fields the domain module already let this
 * viewer see arrive here (restricted text is null before it leaves the database).
 */

type Out<T extends z.ZodType> = z.input<T>;

const timestampOrNull = (date: Date | null) => (date ? isoTimestamp(date) : null);

function boardFieldsJson(board: BoardListItem | BoardPage["board"]) {
  const { id, name, slug, type, level, frequency } = board;
  return { id, name, slug, type, level, frequency };
}

export function boardJson(board: BoardListItem): Out<typeof BoardSchema> {
  return {
    ...boardFieldsJson(board),
    member_count: board.memberCount,
    next_meeting_at: timestampOrNull(board.nextMeetingAt),
    last_meeting_at: timestampOrNull(board.lastMeetingAt),
    meetings_held_last_12_months: board.meetingsHeldLastYear,
  };
}

export function boardDetailJson({ board, members, canRun }: BoardPage): Out<typeof BoardDetailSchema> {
  return {
    ...boardFieldsJson(board),
    terms_of_reference: board.termsOfReference,
    quorum: board.quorum,
    default_duration_minutes: board.defaultDurationMinutes,
    preparation_minutes: board.preparationMinutes,
    visibility: board.visibility,
    archived_at: timestampOrNull(board.archivedAt),
    members: members.map((member) => ({
      person_id: member.personId,
      name: member.name,
      job_title: member.jobTitle,
      agency_name: member.agencyName,
      role: member.role,
      from_date: member.fromDate,
      to_date: member.toDate,
    })),
    can_run: canRun,
  };
}

export function meetingJson(meeting: Omit<MeetingListItem, "verdict">): Out<typeof MeetingSchema> {
  return {
    id: meeting.id,
    board_id: meeting.boardId,
    board_name: meeting.boardName,
    starts_at: isoTimestamp(meeting.startsAt),
    duration_minutes: meeting.durationMinutes,
    format: meeting.format,
    location: meeting.location,
    status: meeting.status,
  };
}

export function meetingCostJson(
  meetingId: number,
  cost: MeetingCostView,
  verdict: MeetingVerdictView | null,
): Out<typeof MeetingCostSchema> {
  const judged = {
    verdict: verdict?.verdict ?? null,
    verdict_reasons: verdict?.reasons ?? [],
    feedback_count: verdict?.feedbackCount ?? 0,
    feedback_average: verdict?.feedbackAverage ?? null,
  };
  if (cost.kind === "total") {
    return { meeting_id: meetingId, detail: "total", total_pence: cost.totalPence, ...judged };
  }
  return {
    meeting_id: meetingId,
    detail: "breakdown",
    total_pence: cost.totalPence,
    ...judged,
    attendees_pence: cost.attendeesPence,
    venue_pence: cost.venuePence,
    catering_pence: cost.cateringPence,
    attendees: cost.attendees.map((attendee) => ({
      attendance_id: attendee.attendanceId,
      name: attendee.name,
      agency_name: attendee.agency,
      grade_name: attendee.grade,
      deputy: attendee.deputy,
      remote: attendee.remote,
      minutes_present: attendee.minutesPresent,
      travel_minutes: attendee.travelMinutes,
      miles: attendee.miles,
      cost_pence: attendee.costPence,
    })),
  };
}

export function meetingDetailJson(page: MeetingPage): Out<typeof MeetingDetailSchema> {
  const { meeting, register } = page;
  return {
    ...meetingJson(meeting),
    series_id: meeting.seriesId,
    cancelled_reason: meeting.cancelledReason,
    agenda: page.agenda.map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      purpose: item.purpose,
      presenter_name: item.presenter,
      minutes_allowed: item.minutesAllowed,
      classification: item.classification,
    })),
    agenda_minutes: page.agendaMinutes,
    register: {
      invited: register.invited,
      not_recorded: register.notRecorded,
      attended: register.attended,
      apologies: register.apologies,
      absent: register.absent,
      deputies: register.deputies,
    },
    cost: meetingCostJson(meeting.id, page.cost, page.verdict),
    can_run: page.canRun,
  };
}

function agencyJson(agency: AgencyRef) {
  return { id: agency.id, name: agency.name, short_name: agency.shortName };
}

export function actionJson(action: ActionListItem): Out<typeof ActionSchema> {
  return {
    id: action.id,
    ref: action.ref,
    title: action.title,
    restricted: action.restricted,
    classification: action.classification,
    board: action.board,
    owner_agency: agencyJson(action.ownerAgency),
    owner_person: action.ownerPerson,
    supporting_agencies: action.supportingAgencies.map(agencyJson),
    due_date: action.dueDate,
    status: action.status,
    rag: action.rag,
    meeting: action.meeting
      ? { id: action.meeting.id, starts_at: isoTimestamp(action.meeting.startsAt) }
      : null,
    latest_update: action.latestUpdate
      ? {
          at: isoTimestamp(action.latestUpdate.at),
          author_name: action.latestUpdate.authorName,
          body: action.latestUpdate.body,
        }
      : null,
  };
}

export function actionUpdateJson(update: ActionUpdateItem): Out<typeof ActionUpdateSchema> {
  return {
    id: update.id,
    at: isoTimestamp(update.at),
    author_name: update.authorName,
    body: update.body,
    status_to: update.statusTo,
  };
}

export function actionDetailJson(page: ActionPage): Out<typeof ActionDetailSchema> {
  const { action } = page;
  return {
    ...actionJson(action),
    description: action.description,
    outcome: action.outcome,
    completed_at: timestampOrNull(action.completedAt),
    created_at: isoTimestamp(action.createdAt),
    version: action.version,
    updates: page.updates.map(actionUpdateJson),
    update_count: page.updateCount,
    can_update: page.canUpdate,
  };
}

export function boardPlanJson({ boardId, periods, plan }: BoardPlan): Out<typeof BoardPlanSchema> {
  return {
    board_id: boardId,
    periods,
    plan: plan && {
      id: plan.id,
      period: plan.period,
      title: plan.title,
      starts_on: plan.startsOn,
      ends_on: plan.endsOn,
      priorities: plan.priorities.map((priority) => ({
        id: priority.id,
        position: priority.position,
        title: priority.title,
        objectives: priority.objectives.map((objective) => ({
          id: objective.id,
          position: objective.position,
          title: objective.title,
          measure: objective.measure,
          target: objective.target,
          current_value: objective.currentValue,
          rag: objective.rag,
          owner_agency: objective.ownerAgency,
          progress: {
            linked: objective.progress.linked,
            done: objective.progress.done,
            open: objective.progress.notStarted + objective.progress.inProgress,
            in_progress: objective.progress.inProgress,
            overdue: objective.progress.overdue,
            dropped: objective.progress.dropped,
            done_on_time: objective.progress.doneOnTime,
          },
        })),
      })),
    },
  };
}
