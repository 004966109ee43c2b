import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { feedbackMeeting, saveFeedback } from "~/feedback/feedback.server";
import { FEEDBACK_QUESTION, FEEDBACK_SCORE_LABELS, feedbackSchema } from "~/feedback/schemas";
import { formatDateTime } from "~/format";
import type { Route } from "./+types/meetings.$meetingId.feedback";

/*
 * /meetings/:meetingId/feedback: an attendee's answer to "Was this meeting a good use of
 * your time?" (the link in the feedback email and the home page prompt). Only those who
 * attended a held meeting may answer (404 for anyone else); answering again changes it.
 */

export const meta: Route.MetaFunction = () => [{ title: "Meeting feedback – Boardledger" }];

function meetingIdOf(params: { meetingId: string }): number {
  if (!/^\d{1,15}$/.test(params.meetingId)) notFound();
  return Number(params.meetingId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const meeting = await feedbackMeeting(viewer, meetingIdOf(params));
  const done = new URL(request.url).searchParams.get("done") === "saved";
  return { meeting, done };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meeting = await feedbackMeeting(viewer, meetingIdOf(params));
  const submission = parseWithZod(await request.formData(), { schema: feedbackSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await saveFeedback(viewer, actorFor(viewer, request), meeting.id, submission.value);
  return redirect(`/meetings/${meeting.id}/feedback?done=saved`);
}

export default function MeetingFeedback({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, done } = loaderData;
  const [form, fields] = useForm<z.input<typeof feedbackSchema>>({
    id: "meeting-feedback",
    lastResult: actionData,
    constraint: getZodConstraint(feedbackSchema),
    defaultValue: meeting.answer
      ? { score: String(meeting.answer.score), comment: meeting.answer.comment ?? "" }
      : undefined,
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/" className="govuk-back-link">
          Back to your home page
        </a>
        {done && (
          <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title">Success</h2>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">Thank you. Your answer has been saved.</p>
            </div>
          </div>
        )}
        <ErrorSummary form={form} fields={[fields.score, fields.comment]} />
        <span className="govuk-caption-l">
          {meeting.boardName}, {formatDateTime(new Date(meeting.startsAt))}
        </span>
        <h1 className="govuk-heading-l">{FEEDBACK_QUESTION}</h1>
        {meeting.answer && (
          <p className="govuk-body">You have answered already. You can change your answer here.</p>
        )}
        <Form method="post" {...getFormProps(form)}>
          <RadiosField
            field={fields.score}
            legend="Your answer"
            hint="Your answer is shared as an average with the board's leaders, beside what the meeting cost."
            options={Object.entries(FEEDBACK_SCORE_LABELS).map(([value, label]) => ({ value, label }))}
          />
          <TextAreaField field={fields.comment} label="Comment (optional)" rows={4} />
          <SubmitButton>{meeting.answer ? "Change answer" : "Send answer"}</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
