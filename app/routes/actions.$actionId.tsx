import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { ensureMayUpdate, getAction, postUpdate, staleUpdateMessage } from "~/actions/actions.server";
import {
  ACTION_STATUS_COLOURS,
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  RAG_COLOURS,
  RAG_LABELS,
  RAG_MEANINGS,
} from "~/actions/labels";
import { actionUpdateSchema } from "~/actions/schemas";
import { SuccessBanner } from "~/admin/components/success-banner";
import { notFound } from "~/auth/authorise.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { SummaryList } from "~/components/summary-list";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import { getActionObjectives } from "~/plans/plans.server";
import type { Route } from "./+types/actions.$actionId";

/*
 * /actions/:actionId: one action, its progress updates newest first, and (for those who may
 * update it) a form to post an update or change its status. The form carries the version
 * it was opened on; a stale update is refused with the text kept in the form.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.action.ref}: ${data.action.title} – Boardledger` : "Action – Boardledger" },
];

function actionIdFrom(params: { actionId?: string }): number {
  if (!params.actionId || !/^\d{1,15}$/.test(params.actionId)) notFound();
  return Number(params.actionId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getAction(viewer, actionIdFrom(params));
  // The plan objectives it serves, for those who read its board's plans.
  const objectives = page.canReadBoard ? await getActionObjectives(viewer, page.action.id) : null;
  const done = new URL(request.url).searchParams.get("done");
  const doneMessage =
    done === "update"
      ? "Your update has been posted."
      : done === "status"
        ? `Your update has been posted and the action is now ‘${ACTION_STATUS_LABELS[page.action.status]}’.`
        : null;
  return {
    ...page,
    objectives: objectives && { linked: objectives.linked, canRun: objectives.canRun },
    doneMessage,
  };
}

interface ActionResult {
  result: SubmissionResult<string[]>;
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const actionId = actionIdFrom(params);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: actionUpdateSchema });
  if (submission.status !== "success") {
    await ensureMayUpdate(viewer, actionId);
    return data<ActionResult>({ result: submission.reply() }, { status: 400 });
  }
  const outcome = await postUpdate(viewer, actionId, submission.value, { ip: clientAddress(request) });
  if (outcome.ok) {
    return redirect(`/actions/${actionId}?done=${outcome.statusChanged ? "status" : "update"}#progress`);
  }
  if (outcome.reason === "stale") {
    const reply = submission.reply({ formErrors: [staleUpdateMessage(outcome.currentStatus)] });
    // Keep the text. Keep the status only if the user chose it: a status left as it was when
    // the page opened is stale too, and posting it again would undo the other person's change.
    const chosen = submission.value.status !== formData.get("openedStatus");
    const result = chosen
      ? reply
      : { ...reply, initialValue: { ...reply.initialValue, status: outcome.currentStatus } };
    return data<ActionResult>({ result }, { status: 409 });
  }
  return data<ActionResult>(
    { result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
    { status: 400 },
  );
}

export default function ActionPage(props: Route.ComponentProps) {
  // Each navigation (a refused form, or the redirect after posting) starts the form afresh
  // from the latest answer: a posted update is cleared, a refused one is kept.
  const location = useLocation();
  return <ActionPageBody key={location.key} {...props} />;
}

function ActionPageBody({ loaderData, actionData }: Route.ComponentProps) {
  const { action, updates, updateCount, canUpdate, canReadBoard, objectives, doneMessage } = loaderData;
  const last = actionData as ActionResult | undefined;
  const [form, fields] = useForm<z.input<typeof actionUpdateSchema>>({
    id: "update",
    lastResult: last?.result,
    defaultValue: { status: action.status },
    constraint: getZodConstraint(actionUpdateSchema),
    shouldValidate: "onSubmit",
  });
  const boardLog = `/actions?board=${action.board.id}`;

  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/actions">
              Actions
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={boardLog}>
              {action.board.name}
            </Link>
          </li>
        </ol>
      </nav>

      {canUpdate ? <ErrorSummary form={form} fields={[fields.body, fields.status, fields.outcome]} /> : null}
      <SuccessBanner message={doneMessage} />

      <span className="govuk-caption-l">
        {action.ref} · {action.board.name}
      </span>
      <h1 className="govuk-heading-l">{action.title}</h1>

      {action.restricted ? (
        <div className="govuk-inset-text">
          This action is OFFICIAL-SENSITIVE. Only members of {action.board.name} can read its title,
          description, outcome and progress updates. You can see who owns it, when it is due and its status
          {canUpdate ? ", and post updates" : ""}.
        </div>
      ) : null}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: "Reference", value: action.ref },
              {
                key: "Status",
                value: (
                  <Tag colour={ACTION_STATUS_COLOURS[action.status]}>
                    {ACTION_STATUS_LABELS[action.status]}
                  </Tag>
                ),
              },
              {
                key: "RAG",
                value: (
                  <>
                    <Tag colour={RAG_COLOURS[action.rag]}>{RAG_LABELS[action.rag]}</Tag>{" "}
                    <span className="govuk-body-s app-secondary-text">{RAG_MEANINGS[action.rag]}</span>
                  </>
                ),
              },
              { key: "Due date", value: formatDate(action.dueDate) },
              {
                key: "Board",
                value: (
                  <Link className="govuk-link" to={boardLog}>
                    {action.board.name}
                    <span className="govuk-visually-hidden"> action log</span>
                  </Link>
                ),
              },
              { key: "Owner agency", value: action.ownerAgency.name },
              { key: "Owner", value: action.ownerPerson?.name ?? "No one named" },
              {
                key: "Supporting agencies",
                value:
                  action.supportingAgencies.length === 0 ? (
                    "None"
                  ) : (
                    <ul className="govuk-list">
                      {action.supportingAgencies.map((agency) => (
                        <li key={agency.id}>{agency.name}</li>
                      ))}
                    </ul>
                  ),
              },
              {
                key: "Raised",
                value: action.meeting ? (
                  canReadBoard ? (
                    // The meeting's page (for those who read its board; partners see the date only).
                    <Link className="govuk-link" to={`/meetings/${action.meeting.id}`}>
                      At the meeting on {formatDate(action.meeting.startsAt)}
                    </Link>
                  ) : (
                    `At the meeting on ${formatDate(action.meeting.startsAt)}`
                  )
                ) : (
                  `On ${formatDate(action.createdAt)}, between meetings`
                ),
              },
              {
                key: "Classification",
                value: action.classification === "official_sensitive" ? "OFFICIAL-SENSITIVE" : "OFFICIAL",
              },
              ...(action.completedAt
                ? [
                    {
                      key: action.status === "dropped" ? "Dropped" : "Completed",
                      value: formatDate(action.completedAt),
                    },
                  ]
                : []),
              ...(action.outcome ? [{ key: "Outcome", value: action.outcome }] : []),
              ...(objectives
                ? [
                    {
                      key: "Plan objectives",
                      value: (
                        <>
                          {objectives.linked.length === 0 ? (
                            "None"
                          ) : (
                            <ul className="govuk-list">
                              {objectives.linked.map((objective) => (
                                <li key={objective.id}>
                                  <Link
                                    className="govuk-link"
                                    to={`/boards/${action.board.id}/plans/${objective.plan.id}/objectives/${objective.id}`}
                                  >
                                    {objective.plan.period}: {objective.title}
                                  </Link>
                                </li>
                              ))}
                            </ul>
                          )}
                          {objectives.canRun ? (
                            <Link className="govuk-link" to={`/actions/${action.id}/objectives`}>
                              Link to plan objectives
                            </Link>
                          ) : null}
                        </>
                      ),
                    },
                  ]
                : []),
            ]}
          />

          {action.restricted ? null : (
            <>
              <h2 className="govuk-heading-m">Description</h2>
              {action.description?.trim() ? (
                <div className="govuk-body app-prose">{action.description.trim()}</div>
              ) : (
                <p className="govuk-body">No description has been recorded.</p>
              )}
            </>
          )}

          {canUpdate ? (
            <>
              <h2 className="govuk-heading-m" id="post-update">
                Post an update
              </h2>
              <Form method="post" {...getFormProps(form)}>
                <input type="hidden" name="version" value={action.version} />
                <input type="hidden" name="openedStatus" value={action.status} />
                <TextAreaField
                  field={fields.body}
                  label="Progress update"
                  hint={
                    action.restricted
                      ? `What has happened since the last update. Members of ${action.board.name} will read it; like the other updates on this OFFICIAL-SENSITIVE action, it will not be shown to you here.`
                      : "What has happened since the last update. Everyone who can see this action can read it."
                  }
                />
                <RadiosField
                  field={fields.status}
                  legend="Status"
                  small
                  options={ACTION_STATUSES.map((status) => ({
                    value: status,
                    label: ACTION_STATUS_LABELS[status],
                  }))}
                />
                <TextAreaField
                  field={fields.outcome}
                  label="Outcome (if you are closing the action)"
                  hint="Needed when you mark it done (what it achieved) or dropped (why)."
                  rows={3}
                />
                <SubmitButton>Post update</SubmitButton>
              </Form>
            </>
          ) : null}

          <h2 className="govuk-heading-m" id="progress">
            Progress updates
          </h2>
          {action.restricted ? (
            <p className="govuk-body">
              {updateCount === 0
                ? "There are no progress updates yet."
                : `There ${updateCount === 1 ? "is 1 progress update" : `are ${updateCount} progress updates`}. Only members of ${action.board.name} can read them.`}
            </p>
          ) : updates.length === 0 ? (
            <p className="govuk-body">There are no progress updates yet.</p>
          ) : (
            <div className="moj-timeline">
              {updates.map((update) => (
                <div className="moj-timeline__item" key={update.id}>
                  <div className="moj-timeline__header">
                    <h3 className="moj-timeline__title">
                      {update.statusTo
                        ? `Status changed to ‘${ACTION_STATUS_LABELS[update.statusTo]}’`
                        : "Progress update"}
                    </h3>{" "}
                    <p className="moj-timeline__byline">by {update.authorName}</p>
                  </div>
                  <p className="moj-timeline__date">
                    <time dateTime={update.at.toISOString()}>{formatDateTime(update.at)}</time>
                  </p>
                  <div className="moj-timeline__description app-prose">{update.body}</div>
                </div>
              ))}
            </div>
          )}
        </div>
      </div>
    </>
  );
}
