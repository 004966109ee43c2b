import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { formatDateTime } from "~/format";
import { cancelMeeting, getRunnableMeeting } from "~/meetings/meetings.server";
import { cancelSchema } from "~/meetings/schemas";
import type { Route } from "./+types/meetings.$meetingId.cancel";

export const meta: Route.MetaFunction = () => [{ title: "Cancel a meeting – Boardledger" }];

function meetingIdOf(params: { meetingId: string }): number {
  if (!/^\d{1,15}$/.test(params.meetingId)) notFound();
  return Number(params.meetingId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { meeting: await getRunnableMeeting(viewer, meetingIdOf(params)) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meeting = await getRunnableMeeting(viewer, meetingIdOf(params));
  const submission = parseWithZod(await request.formData(), { schema: cancelSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await cancelMeeting(viewer, actorFor(viewer, request), meeting.id, submission.value.reason);
  if (!result.ok) {
    return data(submission.reply({ formErrors: result.formError ? [result.formError] : [] }), {
      status: 409,
    });
  }
  return redirect(`/meetings/${meeting.id}?done=cancelled`);
}

export default function CancelMeeting({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting } = loaderData;
  const [form, fields] = useForm<z.input<typeof cancelSchema>>({
    id: "cancel-meeting",
    lastResult: actionData,
    constraint: getZodConstraint(cancelSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/meetings/${meeting.id}`} className="govuk-back-link">
          Back to the meeting
        </a>
        <ErrorSummary form={form} fields={[fields.reason]} />
        <span className="govuk-caption-l">{meeting.boardName}</span>
        <h1 className="govuk-heading-l">
          Cancel the meeting on {formatDateTime(new Date(meeting.startsAt))}
        </h1>
        {meeting.status === "scheduled" ? (
          <Form method="post" {...getFormProps(form)}>
            <TextAreaField
              field={fields.reason}
              label="Why is the meeting cancelled?"
              hint="Members will see this reason on the meeting page"
              rows={3}
            />
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>A cancelled meeting cannot be changed
                again.
              </strong>
            </div>
            <SubmitButton>Cancel meeting</SubmitButton>
          </Form>
        ) : (
          <p className="govuk-body">
            {meeting.status === "cancelled"
              ? "This meeting has already been cancelled."
              : "This meeting has been held and cannot be cancelled."}
          </p>
        )}
      </div>
    </div>
  );
}
