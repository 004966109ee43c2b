import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { Tag } from "~/components/tag";
import { getActionObjectives, linkAction, unlinkAction } from "~/plans/plans.server";
import { linkObjectiveSchema, OBJECTIVE_RAG_COLOURS, OBJECTIVE_RAG_LABELS } from "~/plans/schemas";
import type { Route } from "./+types/actions.$actionId_.objectives";

/*
 * /actions/:actionId/objectives: the plan objectives an action serves, and (for the
 * board's secretary and admins) linking it to another objective of its board's current
 * plans, or unlinking it. Readers of the action's board only: a partner who reads the
 * action but not the board's plan gets 404.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Plan objectives of ${data.action.ref} – Boardledger` : "Plan objectives – Boardledger" },
];

const DONE_MESSAGES: Record<string, string> = {
  linked: "The action has been linked to the objective.",
  unlinked: "The action has been unlinked from the objective.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getActionObjectives(viewer, idParam(params.actionId));
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { ...page, done: DONE_MESSAGES[done] ?? null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const actionId = idParam(params.actionId);
  // Refused (404) before the form is read, for those who may not run the action's board.
  ensure((await getActionObjectives(viewer, actionId)).canRun);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const submission = parseWithZod(formData, { schema: linkObjectiveSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const target = { objectiveId: submission.value.objectiveId, actionId };
  const actor = actorFor(viewer, request);
  const outcome =
    intent === "unlink" ? await unlinkAction(viewer, actor, target) : await linkAction(viewer, actor, target);
  if (!outcome.ok) {
    // The objective is another board's: say so beside the objective, not the action.
    return data(
      {
        result: submission.reply({
          fieldErrors: { objectiveId: ["Select an objective of this board’s plans"] },
        }),
      },
      { status: 400 },
    );
  }
  return redirect(`/actions/${actionId}/objectives?done=${intent === "unlink" ? "unlinked" : "linked"}`);
}

export default function ActionObjectivesPage({ loaderData, actionData }: Route.ComponentProps) {
  const { action, linked, candidates, canRun, done } = loaderData;
  const [form, fields] = useForm<z.input<typeof linkObjectiveSchema>>({
    id: "link-objective",
    lastResult: actionData?.result,
    constraint: getZodConstraint(linkObjectiveSchema),
    shouldValidate: "onSubmit",
  });
  const here = `/actions/${action.id}/objectives`;
  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/actions?board=${action.boardId}`}>
              {action.boardName}
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/actions/${action.id}`}>
              {action.ref}
            </Link>
          </li>
        </ol>
      </nav>
      {canRun ? <ErrorSummary form={form} fields={[fields.objectiveId]} /> : null}
      <SuccessBanner message={done} />
      <span className="govuk-caption-l">
        {action.ref} · {action.title}
      </span>
      <h1 className="govuk-heading-l">Plan objectives</h1>

      {linked.length === 0 ? (
        <p className="govuk-body">
          This action is not linked to any objective of {action.boardName}’s plans.
        </p>
      ) : (
        <dl className="govuk-summary-list">
          {linked.map((objective) => (
            <div className="govuk-summary-list__row" key={objective.id}>
              <dt className="govuk-summary-list__key">
                {objective.plan.period}: {objective.priority}
              </dt>
              <dd className="govuk-summary-list__value">
                <Link
                  className="govuk-link"
                  to={`/boards/${action.boardId}/plans/${objective.plan.id}/objectives/${objective.id}`}
                >
                  {objective.title}
                </Link>{" "}
                {objective.rag ? (
                  <Tag colour={OBJECTIVE_RAG_COLOURS[objective.rag]}>
                    {OBJECTIVE_RAG_LABELS[objective.rag]}
                  </Tag>
                ) : null}
              </dd>
              {canRun ? (
                <dd className="govuk-summary-list__actions">
                  <Form method="post" action={here}>
                    <input type="hidden" name="objectiveId" value={objective.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="unlink"
                      className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    >
                      Unlink<span className="govuk-visually-hidden"> from {objective.title}</span>
                    </button>
                  </Form>
                </dd>
              ) : null}
            </div>
          ))}
        </dl>
      )}

      {canRun ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Link to an objective</h2>
            {candidates.length === 0 ? (
              <p className="govuk-body">
                There is no other objective to link to in {action.boardName}’s current plans.{" "}
                <Link className="govuk-link" to={`/boards/${action.boardId}/plans`}>
                  The board’s plans
                </Link>
              </p>
            ) : (
              <Form method="post" action={here} {...getFormProps(form)}>
                <SelectField
                  field={fields.objectiveId}
                  label="Objective"
                  hint="The objectives of the board’s plans that have not ended"
                  placeholder="Choose an objective"
                  options={candidates}
                />
                <SubmitButton name="intent" value="link">
                  Link the action
                </SubmitButton>
              </Form>
            )}
          </div>
        </div>
      ) : null}
    </>
  );
}
