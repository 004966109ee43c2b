import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField, SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { Tag } from "~/components/tag";
import { formatDate, pluralise } from "~/format";
import {
  addObjective,
  addPriority,
  copyPlanForward,
  ensureRunsBoard,
  getPlanPage,
  type PlanObjective,
  type PlanPriority,
  removePriority,
  renamePriority,
} from "~/plans/plans.server";
import {
  newObjectiveSchema,
  OBJECTIVE_RAG_COLOURS,
  OBJECTIVE_RAG_LABELS,
  onTimePercent,
  priorityChangeSchema,
  priorityRemovalSchema,
  prioritySchema,
  RAG_OPTIONS,
} from "~/plans/schemas";
import type { Route } from "./+types/boards.$boardId_.plans.$planId";

/*
 * /boards/:boardId/plans/:planId: a plan's priorities and objectives, each objective with
 * its progress from the actions linked to it (how many by status, overdue, done on time).
 * The board's secretary and admins add priorities and objectives and copy the plan forward
 * to the next period; readers of the board read it; anyone else gets 404.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `${data.plan.title} – Boardledger` : "Plan – Boardledger" },
];

const DONE_MESSAGES: Record<string, string> = {
  created: "The plan has been started. Add its priorities, then their objectives.",
  copied: "The plan has been copied forward. Its objectives have no current values, RAGs or actions yet.",
  priority: "The priority has been added.",
  renamed: "The priority has been renamed.",
  "priority-removed": "The priority has been removed.",
  objective: "The objective has been added.",
  removed: "The objective has been removed.",
};

function ids(params: { boardId?: string; planId?: string }) {
  return { boardId: idParam(params.boardId), planId: idParam(params.planId) };
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const { boardId, planId } = ids(params);
  const page = await getPlanPage(viewer, boardId, planId);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return { ...page, done: DONE_MESSAGES[done] ?? null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const { boardId, planId } = ids(params);
  // Refused (404) before the form is read, for those who may not change the plan.
  await ensureRunsBoard(viewer, boardId);
  const actor = actorFor(viewer, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const base = `/boards/${boardId}/plans/${planId}`;

  if (intent === "copy-forward") {
    const outcome = await copyPlanForward(viewer, actor, boardId, planId);
    if (!outcome.ok)
      return data({ intent: "copy-forward" as const, error: outcome.formError ?? "" }, { status: 409 });
    return redirect(`/boards/${boardId}/plans/${outcome.planId}?done=copied`);
  }
  if (intent === "add-priority") {
    const submission = parseWithZod(formData, { schema: prioritySchema });
    if (submission.status !== "success") {
      return data({ intent: "add-priority" as const, result: submission.reply() }, { status: 400 });
    }
    await addPriority(viewer, actor, boardId, planId, submission.value);
    return redirect(`${base}?done=priority`);
  }
  if (intent === "rename-priority") {
    const submission = parseWithZod(formData, { schema: priorityChangeSchema });
    if (submission.status !== "success") {
      return data({ intent: "rename-priority" as const, result: submission.reply() }, { status: 400 });
    }
    const { priorityId, ...input } = submission.value;
    const outcome = await renamePriority(viewer, actor, boardId, planId, priorityId, input);
    // Only a priority of another plan is refused: said above the page, like the other refusals.
    if (!outcome.ok)
      return data({ intent: "rename-priority" as const, error: outcome.formError ?? "" }, { status: 400 });
    return redirect(`${base}?done=renamed#priority-${priorityId}`);
  }
  if (intent === "remove-priority") {
    const submission = parseWithZod(formData, { schema: priorityRemovalSchema });
    if (submission.status !== "success") {
      return data(
        { intent: "remove-priority" as const, error: "Choose a priority of this plan" },
        { status: 400 },
      );
    }
    const outcome = await removePriority(viewer, actor, boardId, planId, submission.value.priorityId);
    if (!outcome.ok)
      return data({ intent: "remove-priority" as const, error: outcome.formError ?? "" }, { status: 409 });
    return redirect(`${base}?done=priority-removed`);
  }
  if (intent === "add-objective") {
    const submission = parseWithZod(formData, { schema: newObjectiveSchema });
    if (submission.status !== "success") {
      return data({ intent: "add-objective" as const, result: submission.reply() }, { status: 400 });
    }
    const outcome = await addObjective(viewer, actor, boardId, planId, submission.value);
    if (!outcome.ok) {
      return data(
        { intent: "add-objective" as const, result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
        { status: 400 },
      );
    }
    return redirect(`${base}?done=objective#objective-${outcome.objectiveId}`);
  }
  return data({ intent: null, error: "Choose what to do from the page" }, { status: 400 });
}

function Progress({ objective }: { objective: PlanObjective }) {
  const p = objective.progress;
  if (p.linked === 0) return <>No actions linked</>;
  const onTime = onTimePercent(p);
  return (
    <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
      <li>{`${pluralise(p.linked, "action")} linked`}</li>
      {p.notStarted > 0 ? <li>{`${p.notStarted} not started`}</li> : null}
      {p.inProgress > 0 ? <li>{`${p.inProgress} in progress`}</li> : null}
      {p.done > 0 ? <li>{`${p.done} done`}</li> : null}
      {p.dropped > 0 ? <li>{`${p.dropped} dropped`}</li> : null}
      {p.overdue > 0 ? (
        <li>
          <strong>{`${p.overdue} overdue`}</strong>
        </li>
      ) : null}
      {onTime === null ? null : <li>{`${onTime}% done on time (${p.doneOnTime} of ${p.done})`}</li>}
    </ul>
  );
}

/** Rename a priority, or remove it once it has no objectives: behind a "Change" disclosure. */
function PriorityChange({
  priority,
  number,
  lastResult,
}: {
  priority: PlanPriority;
  number: number;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<z.input<typeof priorityChangeSchema>>({
    id: `priority-${priority.id}-change`,
    lastResult,
    defaultValue: { title: priority.title, priorityId: String(priority.id) },
    constraint: getZodConstraint(priorityChangeSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <details className="govuk-details" open={lastResult !== undefined}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">{`Change priority ${number}`}</span>
      </summary>
      <div className="govuk-details__text">
        <ErrorSummary form={form} fields={[fields.title]} />
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="priorityId" value={priority.id} />
          <TextField field={fields.title} label={`Priority ${number}`} />
          <div className="govuk-button-group">
            <SubmitButton secondary name="intent" value="rename-priority">
              Rename the priority
            </SubmitButton>
            {priority.objectives.length === 0 ? (
              <button
                type="submit"
                name="intent"
                value="remove-priority"
                className="govuk-button govuk-button--warning"
              >
                Remove the priority
              </button>
            ) : null}
          </div>
        </Form>
      </div>
    </details>
  );
}

export default function PlanPage({ loaderData, actionData }: Route.ComponentProps) {
  const { board, plan, periods, canRun, copy, agencies, done } = loaderData;
  const base = `/boards/${board.id}/plans/${plan.id}`;
  const [priorityForm, priorityFields] = useForm<z.input<typeof prioritySchema>>({
    id: "add-priority",
    lastResult:
      actionData?.intent === "add-priority" && "result" in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(prioritySchema),
    shouldValidate: "onSubmit",
  });
  const [objectiveForm, objectiveFields] = useForm<z.input<typeof newObjectiveSchema>>({
    id: "add-objective",
    lastResult:
      actionData?.intent === "add-objective" && "result" in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(newObjectiveSchema),
    shouldValidate: "onSubmit",
  });
  const formError = actionData && "error" in actionData ? actionData.error : null;
  const columns: DataTableColumn<PlanObjective>[] = [
    {
      id: "objective",
      header: "Objective",
      rowHeader: true,
      cell: (o) => (
        <Link className="govuk-link" to={`${base}/objectives/${o.id}`} id={`objective-${o.id}`}>
          {o.title}
        </Link>
      ),
    },
    { id: "measure", header: "Measure", cell: (o) => o.measure || "Not set" },
    { id: "target", header: "Target", cell: (o) => o.target || "Not set" },
    { id: "current", header: "Current value", cell: (o) => o.currentValue || "Not recorded" },
    {
      id: "rag",
      header: "RAG",
      cell: (o) =>
        o.rag ? (
          <Tag colour={OBJECTIVE_RAG_COLOURS[o.rag]}>{OBJECTIVE_RAG_LABELS[o.rag]}</Tag>
        ) : (
          "Not assessed"
        ),
    },
    { id: "owner", header: "Owner", cell: (o) => o.ownerAgency?.name ?? "No agency" },
    { id: "progress", header: "Actions", cell: (o) => <Progress objective={o} /> },
  ];

  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}`}>
              {board.name}
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}/plans`}>
              Plans
            </Link>
          </li>
        </ol>
      </nav>
      {formError ? (
        <div className="govuk-error-summary" role="alert">
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <p className="govuk-body">{formError}</p>
          </div>
        </div>
      ) : null}
      {canRun ? (
        <>
          <ErrorSummary form={priorityForm} fields={[priorityFields.title]} />
          <ErrorSummary
            form={objectiveForm}
            fields={[
              objectiveFields.priority,
              objectiveFields.title,
              objectiveFields.measure,
              objectiveFields.target,
              objectiveFields.current_value,
              objectiveFields.rag,
              objectiveFields.owner_agency,
            ]}
          />
        </>
      ) : null}
      <SuccessBanner message={done} />

      <span className="govuk-caption-l">
        {board.name} · {formatDate(plan.startsOn)} to {formatDate(plan.endsOn)}
      </span>
      <h1 className="govuk-heading-l">{plan.title}</h1>

      {periods.length > 1 ? (
        <nav className="moj-sub-navigation" aria-label="Plan periods">
          <ul className="moj-sub-navigation__list">
            {periods.map((p) => (
              <li className="moj-sub-navigation__item" key={p.id}>
                <Link
                  className="moj-sub-navigation__link"
                  to={`/boards/${board.id}/plans/${p.id}`}
                  aria-current={p.id === plan.id ? "page" : undefined}
                >
                  {p.period}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      {plan.priorities.length === 0 ? <p className="govuk-body">This plan has no priorities yet.</p> : null}
      {plan.priorities.map((priority, index) => (
        <section key={priority.id} aria-labelledby={`priority-${priority.id}`}>
          <h2 className="govuk-heading-m" id={`priority-${priority.id}`}>
            {`Priority ${index + 1}: ${priority.title}`}
          </h2>
          <DataTable
            caption={`Objectives of priority ${index + 1}`}
            captionSize="hidden"
            columns={columns}
            rows={priority.objectives}
            rowKey={(o) => o.id}
            emptyMessage="No objectives yet."
          />
          {canRun ? (
            <PriorityChange
              priority={priority}
              number={index + 1}
              lastResult={
                actionData?.intent === "rename-priority" &&
                "result" in actionData &&
                Number(actionData.result.initialValue?.priorityId) === priority.id
                  ? actionData.result
                  : undefined
              }
            />
          ) : null}
        </section>
      ))}

      {canRun ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Add a priority</h2>
            <Form method="post" {...getFormProps(priorityForm)}>
              <TextField field={priorityFields.title} label="Priority" />
              <SubmitButton secondary name="intent" value="add-priority">
                Add the priority
              </SubmitButton>
            </Form>

            {plan.priorities.length > 0 ? (
              <>
                <h2 className="govuk-heading-m">Add an objective</h2>
                <Form method="post" {...getFormProps(objectiveForm)}>
                  <SelectField
                    field={objectiveFields.priority}
                    label="Priority"
                    placeholder="Choose a priority"
                    options={plan.priorities.map((p, i) => ({
                      value: String(p.id),
                      label: `${i + 1}. ${p.title}`,
                    }))}
                  />
                  <TextField field={objectiveFields.title} label="Objective" />
                  <TextField
                    field={objectiveFields.measure}
                    label="Measure (optional)"
                    hint="How progress is measured, like “proven reoffending rate of adults on probation”"
                  />
                  <TextField field={objectiveFields.target} label="Target (optional)" />
                  <TextField field={objectiveFields.current_value} label="Current value (optional)" />
                  <RadiosField
                    field={objectiveFields.rag}
                    legend="RAG (optional)"
                    small
                    options={RAG_OPTIONS}
                  />
                  <SelectField
                    field={objectiveFields.owner_agency}
                    label="Owner agency (optional)"
                    placeholder="No agency"
                    options={agencies}
                  />
                  <SubmitButton secondary name="intent" value="add-objective">
                    Add the objective
                  </SubmitButton>
                </Form>
              </>
            ) : null}

            <h2 className="govuk-heading-m">{`Copy forward to ${copy.period}`}</h2>
            {copy.existingPlanId ? (
              <p className="govuk-body">
                This board already has{" "}
                <Link className="govuk-link" to={`/boards/${board.id}/plans/${copy.existingPlanId}`}>
                  a plan for {copy.period}
                </Link>
                .
              </p>
            ) : (
              <Form method="post">
                <p className="govuk-body">
                  Starts a plan for {copy.period} with this plan’s priorities and objectives: their titles,
                  measures, targets and owner agencies. Current values, RAGs and linked actions stay with{" "}
                  {plan.period}.
                </p>
                <SubmitButton secondary name="intent" value="copy-forward">
                  Copy forward to {copy.period}
                </SubmitButton>
              </Form>
            )}
          </div>
        </div>
      ) : null}
    </>
  );
}
