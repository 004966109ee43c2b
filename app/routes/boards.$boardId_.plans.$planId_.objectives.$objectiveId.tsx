import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { ACTION_STATUS_COLOURS, ACTION_STATUS_LABELS, RAG_COLOURS, RAG_LABELS } from "~/actions/labels";
import { SuccessBanner } from "~/admin/components/success-banner";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField, SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { SummaryList } from "~/components/summary-list";
import { Tag } from "~/components/tag";
import { formatDate } from "~/format";
import {
  ensureRunsBoard,
  getObjectivePage,
  type LinkedAction,
  linkAction,
  removeObjective,
  unlinkAction,
  updateObjective,
} from "~/plans/plans.server";
import {
  linkActionSchema,
  OBJECTIVE_RAG_COLOURS,
  OBJECTIVE_RAG_LABELS,
  objectiveEditSchema,
  onTimePercent,
  RAG_OPTIONS,
  STALE_OBJECTIVE_MESSAGE,
} from "~/plans/schemas";
import type { Route } from "./+types/boards.$boardId_.plans.$planId_.objectives.$objectiveId";

/*
 * /boards/:boardId/plans/:planId/objectives/:objectiveId: one objective, its progress and
 * the actions linked to it. The board's secretary and admins edit it (its current value
 * and RAG through the year), link the board's actions to it or unlink them, and remove it
 * (after a confirmation page). Readers of the board read it; anyone else gets 404.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.objective.title} – Boardledger` : "Objective – Boardledger" },
];

const DONE_MESSAGES: Record<string, string> = {
  saved: "The objective has been saved.",
  linked: "The action has been linked to this objective.",
  unlinked: "The action has been unlinked from this objective.",
};

function ids(params: { boardId?: string; planId?: string; objectiveId?: string }) {
  return {
    boardId: idParam(params.boardId),
    planId: idParam(params.planId),
    objectiveId: idParam(params.objectiveId),
  };
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const { boardId, planId, objectiveId } = ids(params);
  const page = await getObjectivePage(viewer, boardId, planId, objectiveId);
  const search = new URL(request.url).searchParams;
  return {
    ...page,
    confirmRemove: page.canRun && search.get("remove") === "confirm",
    done: DONE_MESSAGES[search.get("done") ?? ""] ?? null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const { boardId, planId, objectiveId } = ids(params);
  // Refused (404) before the form is read, for those who may not change the plan.
  await ensureRunsBoard(viewer, boardId);
  const actor = actorFor(viewer, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const here = `/boards/${boardId}/plans/${planId}/objectives/${objectiveId}`;

  if (intent === "remove") {
    await removeObjective(viewer, actor, boardId, planId, objectiveId);
    return redirect(`/boards/${boardId}/plans/${planId}?done=removed`);
  }
  if (intent === "link" || intent === "unlink") {
    const submission = parseWithZod(formData, { schema: linkActionSchema });
    if (submission.status !== "success") {
      return data({ intent: "link" as const, result: submission.reply() }, { status: 400 });
    }
    const change = intent === "link" ? linkAction : unlinkAction;
    const outcome = await change(viewer, actor, { objectiveId, planId, actionId: submission.value.actionId });
    if (!outcome.ok) {
      return data(
        { intent: "link" as const, result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
        { status: 400 },
      );
    }
    return redirect(`${here}?done=${intent === "link" ? "linked" : "unlinked"}#actions`);
  }
  const submission = parseWithZod(formData, { schema: objectiveEditSchema });
  if (submission.status !== "success") {
    return data({ intent: "save" as const, result: submission.reply() }, { status: 400 });
  }
  const outcome = await updateObjective(viewer, actor, boardId, planId, objectiveId, submission.value);
  if (!outcome.ok && "stale" in outcome) {
    // Nothing saved; the typing is kept in the form, the saved values are above it.
    return data(
      { intent: "save" as const, result: submission.reply({ formErrors: [STALE_OBJECTIVE_MESSAGE] }) },
      { status: 409 },
    );
  }
  if (!outcome.ok) {
    return data(
      { intent: "save" as const, result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
      { status: 400 },
    );
  }
  return redirect(`${here}?done=saved`);
}

export default function ObjectivePage({ loaderData, actionData }: Route.ComponentProps) {
  const { board, plan, priority, objective, actions, canRun, candidates, agencies, confirmRemove, done } =
    loaderData;
  const here = `/boards/${board.id}/plans/${plan.id}/objectives/${objective.id}`;
  const planLink = `/boards/${board.id}/plans/${plan.id}`;
  const [form, fields] = useForm<z.input<typeof objectiveEditSchema>>({
    id: "objective",
    lastResult: actionData?.intent === "save" ? actionData.result : undefined,
    defaultValue: {
      title: objective.title,
      measure: objective.measure,
      target: objective.target,
      current_value: objective.currentValue,
      rag: objective.rag ?? "",
      owner_agency: objective.ownerAgency ? String(objective.ownerAgency.id) : "",
    },
    constraint: getZodConstraint(objectiveEditSchema),
    shouldValidate: "onSubmit",
  });
  const [linkForm, linkFields] = useForm<z.input<typeof linkActionSchema>>({
    id: "link",
    lastResult: actionData?.intent === "link" ? actionData.result : undefined,
    constraint: getZodConstraint(linkActionSchema),
    shouldValidate: "onSubmit",
  });
  const progress = objective.progress;
  const onTime = onTimePercent(progress);

  const columns: DataTableColumn<LinkedAction>[] = [
    {
      id: "ref",
      header: "Action",
      rowHeader: true,
      cell: (a) => (
        <Link className="govuk-link" to={`/actions/${a.id}`}>
          {a.ref}
          <span className="govuk-visually-hidden">: {a.title}</span>
        </Link>
      ),
    },
    { id: "title", header: "Title", cell: (a) => a.title },
    { id: "owner", header: "Owner agency", cell: (a) => a.ownerAgency },
    { id: "due", header: "Due", nowrap: true, cell: (a) => formatDate(a.dueDate) },
    {
      id: "status",
      header: "Status",
      cell: (a) => <Tag colour={ACTION_STATUS_COLOURS[a.status]}>{ACTION_STATUS_LABELS[a.status]}</Tag>,
    },
    { id: "rag", header: "RAG", cell: (a) => <Tag colour={RAG_COLOURS[a.rag]}>{RAG_LABELS[a.rag]}</Tag> },
    ...(canRun
      ? [
          {
            id: "unlink",
            header: "Change",
            cell: (a: LinkedAction) => (
              <Form method="post" action={here}>
                <input type="hidden" name="actionId" value={a.id} />
                <button
                  type="submit"
                  name="intent"
                  value="unlink"
                  className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                >
                  Unlink<span className="govuk-visually-hidden"> {a.ref}</span>
                </button>
              </Form>
            ),
          },
        ]
      : []),
  ];

  const breadcrumbs = (
    <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
      <ol className="govuk-breadcrumbs__list">
        <li className="govuk-breadcrumbs__list-item">
          <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}`}>
            {board.name}
          </Link>
        </li>
        <li className="govuk-breadcrumbs__list-item">
          <Link className="govuk-breadcrumbs__link" to={planLink}>
            {plan.title}
          </Link>
        </li>
      </ol>
    </nav>
  );

  if (confirmRemove) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {breadcrumbs}
          <h1 className="govuk-heading-l">{`Are you sure you want to remove “${objective.title}”?`}</h1>
          <p className="govuk-body">
            The objective is removed from the plan. Its{" "}
            {actions.length === 1 ? "linked action stays" : "linked actions stay"} in the action log.
          </p>
          <Form method="post" action={here} className="govuk-button-group">
            <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--warning">
              Yes, remove this objective
            </button>
            <Link className="govuk-link" to={here}>
              No, keep it
            </Link>
          </Form>
        </div>
      </div>
    );
  }

  return (
    <>
      {breadcrumbs}
      {canRun ? (
        <>
          <ErrorSummary
            form={form}
            fields={[
              fields.title,
              fields.measure,
              fields.target,
              fields.current_value,
              fields.rag,
              fields.owner_agency,
            ]}
          />
          <ErrorSummary form={linkForm} fields={[linkFields.actionId]} />
        </>
      ) : null}
      <SuccessBanner message={done} />
      <span className="govuk-caption-l">
        {plan.period} · {priority.title}
      </span>
      <h1 className="govuk-heading-l">{objective.title}</h1>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: "Measure", value: objective.measure || "Not set" },
              { key: "Target", value: objective.target || "Not set" },
              { key: "Current value", value: objective.currentValue || "Not recorded" },
              {
                key: "RAG",
                value: objective.rag ? (
                  <Tag colour={OBJECTIVE_RAG_COLOURS[objective.rag]}>
                    {OBJECTIVE_RAG_LABELS[objective.rag]}
                  </Tag>
                ) : (
                  "Not assessed"
                ),
              },
              { key: "Owner agency", value: objective.ownerAgency?.name ?? "No agency" },
              {
                key: "Actions",
                value:
                  progress.linked === 0
                    ? "None linked"
                    : `${progress.linked} linked: ${progress.notStarted} not started, ${progress.inProgress} in progress, ${progress.done} done, ${progress.dropped} dropped; ${progress.overdue} overdue`,
              },
              {
                key: "Done on time",
                value:
                  onTime === null
                    ? "No linked action is done yet"
                    : `${onTime}% (${progress.doneOnTime} of ${progress.done} by their due date)`,
              },
            ]}
          />
        </div>
      </div>

      <h2 className="govuk-heading-m" id="actions">
        Linked actions
      </h2>
      <DataTable
        caption={`Actions linked to ${objective.title}`}
        captionSize="hidden"
        columns={columns}
        rows={actions}
        rowKey={(a) => a.id}
        emptyMessage="No actions are linked to this objective yet."
      />

      {canRun ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Link an action</h2>
            {candidates.length === 0 ? (
              <p className="govuk-body">
                Every open action of {board.name}, and every one closed since the plan began, is linked
                already.
              </p>
            ) : (
              <Form method="post" action={here} {...getFormProps(linkForm)}>
                <SelectField
                  field={linkFields.actionId}
                  label="Action"
                  hint={`The actions of ${board.name} that are open or were closed since ${formatDate(plan.startsOn)}`}
                  placeholder="Choose an action"
                  options={candidates}
                />
                <SubmitButton secondary name="intent" value="link">
                  Link the action
                </SubmitButton>
              </Form>
            )}

            <h2 className="govuk-heading-m">Edit the objective</h2>
            <Form method="post" action={here} {...getFormProps(form)}>
              {/* The version the form was opened on: the saved one, even after a refused save. */}
              <input type="hidden" name="version" value={objective.version} />
              <TextField field={fields.title} label="Objective" />
              <TextField field={fields.measure} label="Measure (optional)" />
              <TextField field={fields.target} label="Target (optional)" />
              <TextField field={fields.current_value} label="Current value (optional)" />
              <RadiosField field={fields.rag} legend="RAG" small options={RAG_OPTIONS} />
              <SelectField
                field={fields.owner_agency}
                label="Owner agency (optional)"
                placeholder="No agency"
                options={agencies}
              />
              <div className="govuk-button-group">
                <SubmitButton name="intent" value="save">
                  Save the objective
                </SubmitButton>
                <Link className="govuk-link" to={`${here}?remove=confirm`}>
                  Remove this objective
                </Link>
              </div>
            </Form>
          </div>
        </div>
      ) : null}
    </>
  );
}
