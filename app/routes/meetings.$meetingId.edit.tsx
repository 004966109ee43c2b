import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { formatDateTime } from "~/format";
import { MeetingFields } from "~/meetings/components/meeting-fields";
import { getRunnableMeeting, meetingFormValues, updateMeeting } from "~/meetings/meetings.server";
import { meetingSchema } from "~/meetings/schemas";
import type { Route } from "./+types/meetings.$meetingId.edit";

export const meta: Route.MetaFunction = () => [{ title: "Edit a meeting – Boardledger" }];

function meetingIdOf(params: { meetingId: string }): number {
  if (!/^\d{1,15}$/.test(params.meetingId)) notFound();
  return Number(params.meetingId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const meeting = await getRunnableMeeting(viewer, meetingIdOf(params));
  return { meeting, values: meetingFormValues(meeting) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meeting = await getRunnableMeeting(viewer, meetingIdOf(params));
  const submission = parseWithZod(await request.formData(), { schema: meetingSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateMeeting(viewer, actorFor(viewer, request), meeting.id, submission.value);
  if (!result.ok) {
    return data(
      submission.reply({
        fieldErrors: result.fieldErrors ?? {},
        formErrors: result.formError ? [result.formError] : [],
      }),
      { status: result.formError ? 409 : 400 },
    );
  }
  return redirect(`/meetings/${meeting.id}?done=updated`);
}

export default function EditMeeting({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, values } = loaderData;
  const [form, fields] = useForm<z.input<typeof meetingSchema>>({
    id: "edit-meeting",
    lastResult: actionData,
    defaultValue: values,
    constraint: getZodConstraint(meetingSchema),
    shouldValidate: "onSubmit",
  });
  const back = `/meetings/${meeting.id}`;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={back} className="govuk-back-link">
          Back to the meeting
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
          ]}
        />
        <span className="govuk-caption-l">{meeting.boardName}</span>
        <h1 className="govuk-heading-l">Edit the meeting on {formatDateTime(new Date(meeting.startsAt))}</h1>
        {meeting.status === "cancelled" ? (
          <p className="govuk-body">This meeting has been cancelled and can no longer be changed.</p>
        ) : (
          <Form method="post" {...getFormProps(form)}>
            <MeetingFields fields={fields} />
            <SubmitButton>Save changes</SubmitButton>
          </Form>
        )}
      </div>
    </div>
  );
}
