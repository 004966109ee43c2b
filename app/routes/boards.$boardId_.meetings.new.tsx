import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { MeetingFields } from "~/meetings/components/meeting-fields";
import { getSchedulingBoard, scheduleMeetings } from "~/meetings/meetings.server";
import { scheduleSchema } from "~/meetings/schemas";
import type { Route } from "./+types/boards.$boardId_.meetings.new";

export const meta: Route.MetaFunction = () => [{ title: "Schedule a meeting – Boardledger" }];

function boardIdOf(params: { boardId: string }): number {
  if (!/^\d{1,15}$/.test(params.boardId)) notFound();
  return Number(params.boardId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { board: await getSchedulingBoard(viewer, boardIdOf(params)) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const board = await getSchedulingBoard(viewer, boardIdOf(params));
  const submission = parseWithZod(await request.formData(), { schema: scheduleSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await scheduleMeetings(viewer, actorFor(viewer, request), board.id, submission.value);
  if (!result.ok) {
    return data(
      submission.reply({
        fieldErrors: result.fieldErrors ?? {},
        formErrors: result.formError ? [result.formError] : [],
      }),
      { status: 400 },
    );
  }
  const [first] = result.value.meetingIds;
  return redirect(`/meetings/${first}?done=${result.value.meetingIds.length > 1 ? "series" : "scheduled"}`);
}

export default function ScheduleMeeting({ loaderData, actionData }: Route.ComponentProps) {
  const { board } = loaderData;
  const [form, fields] = useForm<z.input<typeof scheduleSchema>>({
    id: "schedule-meeting",
    lastResult: actionData,
    defaultValue: {
      duration_minutes: String(board.defaultDurationMinutes),
      start_time: "10:00",
      format: "in_person",
      repeat: "none",
      interval: "1",
    },
    constraint: getZodConstraint(scheduleSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/boards/${board.id}`} className="govuk-back-link">
          Back to {board.name}
        </a>
        <ErrorSummary
          form={form}
          fields={[
            fields.date,
            fields.start_time,
            fields.duration_minutes,
            fields.format,
            fields.location,
            fields.venue_cost,
            fields.catering_cost,
            fields.repeat,
            fields.interval,
            fields.count,
            fields.until,
          ]}
        />
        <span className="govuk-caption-l">{board.name}</span>
        <h1 className="govuk-heading-l">Schedule a meeting</h1>
        <Form method="post" {...getFormProps(form)}>
          <MeetingFields fields={fields} />
          <h2 className="govuk-heading-m">Repeat</h2>
          <RadiosField
            field={fields.repeat}
            legend="Does this meeting repeat?"
            options={[
              { value: "none", label: "No, just this meeting" },
              {
                value: "monthly",
                label: "Monthly, on the same weekday of the month",
                hint: "For example, the first Tuesday of every month or of every other month",
              },
              { value: "weekly", label: "Weekly, on the same day of the week" },
            ]}
          />
          <TextField
            field={fields.interval}
            label="Repeat every (months or weeks)"
            hint="1 for every month or week, 2 for every other one"
            inputMode="numeric"
            className="govuk-input--width-2"
          />
          <TextField
            field={fields.count}
            label="Number of meetings"
            hint="Between 2 and 36, including the first. Leave blank to give an end date instead"
            inputMode="numeric"
            className="govuk-input--width-3"
          />
          <TextField field={fields.until} label="Or the date the series ends" type="date" />
          <SubmitButton>Schedule</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
