import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { actorFor } from "~/admin/shared.server";
import { idParam } from "~/agenda/agenda.server";
import { requireViewer } from "~/auth/viewer.server";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { formatDate } from "~/format";
import { createPlan, ensureRunsBoard, listBoardPlans, type PlanListItem } from "~/plans/plans.server";
import { newPlanSchema } from "~/plans/schemas";
import type { Route } from "./+types/boards.$boardId_.plans._index";

/*
 * /boards/:boardId/plans: the board's plans, latest first, with their objectives' RAGs;
 * for its secretary and admins, a form to start a plan for a period. Readers of the board
 * only (404 for anyone else).
 */

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Plans: ${data.board.name} – Boardledger` : "Plans – Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return listBoardPlans(viewer, idParam(params.boardId));
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const boardId = idParam(params.boardId);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: newPlanSchema });
  if (submission.status !== "success") {
    await ensureRunsBoard(viewer, boardId);
    return data({ result: submission.reply() }, { status: 400 });
  }
  const outcome = await createPlan(viewer, actorFor(viewer, request), boardId, submission.value);
  if (!outcome.ok) {
    return data(
      {
        result: submission.reply({
          fieldErrors: outcome.fieldErrors,
          formErrors: outcome.formError ? [outcome.formError] : undefined,
        }),
      },
      { status: 409 },
    );
  }
  return redirect(`/boards/${boardId}/plans/${outcome.planId}?done=created`);
}

const ragSummary = (plan: PlanListItem) =>
  plan.objectives === 0
    ? "No objectives yet"
    : [
        `${plan.rags.red} red`,
        `${plan.rags.amber} amber`,
        `${plan.rags.green} green`,
        ...(plan.rags.none > 0 ? [`${plan.rags.none} not assessed`] : []),
      ].join(", ");

export default function BoardPlans({ loaderData, actionData }: Route.ComponentProps) {
  const { board, plans, canRun, suggestedPeriod } = loaderData;
  const [form, fields] = useForm<z.input<typeof newPlanSchema>>({
    id: "new-plan",
    lastResult: actionData?.result,
    defaultValue: { period: suggestedPeriod, title: `${board.name} plan ${suggestedPeriod}` },
    constraint: getZodConstraint(newPlanSchema),
    shouldValidate: "onSubmit",
  });
  const columns: DataTableColumn<PlanListItem>[] = [
    {
      id: "period",
      header: "Period",
      rowHeader: true,
      cell: (plan) => (
        <Link className="govuk-link" to={`/boards/${board.id}/plans/${plan.id}`}>
          {plan.period}
          <span className="govuk-visually-hidden">: {plan.title}</span>
        </Link>
      ),
    },
    { id: "title", header: "Title", cell: (plan) => plan.title },
    {
      id: "dates",
      header: "Runs",
      cell: (plan) => `${formatDate(plan.startsOn)} to ${formatDate(plan.endsOn)}`,
    },
    { id: "priorities", header: "Priorities", numeric: true, cell: (plan) => plan.priorities },
    { id: "objectives", header: "Objectives", numeric: true, cell: (plan) => plan.objectives },
    { id: "rag", header: "Objectives’ RAG", cell: ragSummary },
    { id: "actions", header: "Linked actions", numeric: true, cell: (plan) => plan.linkedActions },
  ];

  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/boards">
              Boards
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${board.id}`}>
              {board.name}
            </Link>
          </li>
        </ol>
      </nav>
      {canRun ? <ErrorSummary form={form} fields={[fields.period, fields.title]} /> : null}
      <span className="govuk-caption-l">{board.name}</span>
      <h1 className="govuk-heading-l">Plans</h1>
      <DataTable
        caption={`Plans of ${board.name}, latest first`}
        captionSize="hidden"
        columns={columns}
        rows={plans}
        rowKey={(plan) => plan.id}
        emptyMessage="This board has no plan yet."
      />

      {canRun ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h2 className="govuk-heading-m">Start a plan</h2>
            <p className="govuk-body">
              To start next year’s plan from this year’s priorities and objectives, open this year’s plan and
              copy it forward.
            </p>
            <Form method="post" {...getFormProps(form)}>
              <TextField
                field={fields.period}
                label="Period"
                hint="A financial year, like 2026/27: the plan runs from 1 April to 31 March."
                className="govuk-input--width-5"
              />
              <TextField field={fields.title} label="Title" />
              <SubmitButton>Start the plan</SubmitButton>
            </Form>
          </div>
        </div>
      ) : null}
    </>
  );
}
