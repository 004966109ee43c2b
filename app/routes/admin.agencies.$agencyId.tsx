import { type FormMetadata, getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { addGrade, addRate, getAgency, updateAgency } from "~/admin/agencies.server";
import { AgencyFields } from "~/admin/components/agency-fields";
import { SuccessBanner } from "~/admin/components/success-banner";
import { AGENCY_TYPE_LABELS, agencySchema, gradeSchema, rateSchema } from "~/admin/schemas";
import { actorFor } from "~/admin/shared.server";
import { can, ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, type FieldLike, SubmitButton, TextField } from "~/components/forms";
import { SummaryList } from "~/components/summary-list";
import { Tag } from "~/components/tag";
import { formatDate, formatPence } from "~/format";
import type { Route } from "./+types/admin.agencies.$agencyId";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.detail.agency.name ?? "Agency"} – Boardledger` },
];

function agencyIdFrom(params: { agencyId?: string }): number {
  const id = Number(params.agencyId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

const DONE_MESSAGES: Record<string, string> = {
  created: "Agency added. Now add its grades and salaries.",
  details: "Agency details saved.",
  grade: "Grade added to the rate card.",
  rate: "New salary added. Earlier salaries are kept in the history.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.seeSalaries(viewer));
  const detail = await getAgency(viewer.db, agencyIdFrom(params));
  if (!detail) notFound();
  const done = new URL(request.url).searchParams.get("done");
  return {
    detail,
    canChange: can.administer(viewer),
    doneMessage: done ? (DONE_MESSAGES[done] ?? null) : null,
  };
}

type FormName = "details" | "grade" | "rate";

interface ActionResult {
  form: FormName;
  result: SubmissionResult<string[]>;
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const agencyId = agencyIdFrom(params);
  const formData = await request.formData();
  const actor = actorFor(viewer, request);
  const refused = (body: ActionResult) => data(body, { status: 400 });
  const intent = formData.get("intent");

  if (intent === "details") {
    const submission = parseWithZod(formData, { schema: agencySchema });
    if (submission.status !== "success") return refused({ form: "details", result: submission.reply() });
    const outcome = await updateAgency(viewer.db, actor, agencyId, submission.value);
    if (!outcome.ok) {
      if (outcome.notFound) notFound();
      return refused({ form: "details", result: submission.reply({ fieldErrors: outcome.fieldErrors }) });
    }
    return redirect(`/admin/agencies/${agencyId}?done=details`);
  }

  if (intent === "grade") {
    const submission = parseWithZod(formData, { schema: gradeSchema });
    if (submission.status !== "success") return refused({ form: "grade", result: submission.reply() });
    const outcome = await addGrade(viewer.db, actor, agencyId, submission.value);
    if (!outcome.ok) {
      if (outcome.notFound) notFound();
      return refused({ form: "grade", result: submission.reply({ fieldErrors: outcome.fieldErrors }) });
    }
    return redirect(`/admin/agencies/${agencyId}?done=grade#rate-card`);
  }

  if (intent === "rate") {
    const submission = parseWithZod(formData, { schema: rateSchema });
    if (submission.status !== "success") return refused({ form: "rate", result: submission.reply() });
    const outcome = await addRate(viewer.db, actor, agencyId, submission.value);
    if (!outcome.ok) {
      if (outcome.notFound) notFound();
      return refused({ form: "rate", result: submission.reply({ fieldErrors: outcome.fieldErrors }) });
    }
    return redirect(`/admin/agencies/${agencyId}?done=rate#rate-card`);
  }

  throw new Response("Choose what to change", { status: 400 });
}

function percent(value: number): string {
  return `${value.toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`;
}

export default function AgencyPage(props: Route.ComponentProps) {
  // Each navigation (a refused form, or the redirect after a change) starts the three forms
  // afresh from the latest answer, so a salary just added is not left typed in the form.
  const location = useLocation();
  return <AgencyPageBody key={location.key} {...props} />;
}

function AgencyPageBody({ loaderData, actionData }: Route.ComponentProps) {
  const { detail, canChange, doneMessage } = loaderData;
  const { agency, effective, defaults, grades } = detail;
  const last = actionData as ActionResult | undefined;
  const resultFor = (name: FormName) => (last?.form === name ? last.result : undefined);
  // Three forms on one page; the one that was refused shows its error summary at the top.
  const [rateForm, rateFields] = useForm<z.input<typeof rateSchema>>({
    id: "rate",
    lastResult: resultFor("rate"),
    constraint: getZodConstraint(rateSchema),
    shouldValidate: "onSubmit",
  });
  const [gradeForm, gradeFields] = useForm<z.input<typeof gradeSchema>>({
    id: "grade",
    lastResult: resultFor("grade"),
    constraint: getZodConstraint(gradeSchema),
    shouldValidate: "onSubmit",
  });
  const [detailsForm, detailsFields] = useForm<z.input<typeof agencySchema>>({
    id: "details",
    lastResult: resultFor("details"),
    defaultValue: {
      name: agency.name,
      short_name: agency.short_name ?? "",
      type: agency.type,
      on_cost_pct: agency.on_cost_pct === null ? "" : String(agency.on_cost_pct),
      overhead_pct: agency.overhead_pct === null ? "" : String(agency.overhead_pct),
      mileage_pence: agency.mileage_pence === null ? "" : String(agency.mileage_pence),
    },
    constraint: getZodConstraint(agencySchema),
    shouldValidate: "onSubmit",
  });

  return (
    <>
      <a href="/admin/agencies" className="govuk-back-link">
        Back to agencies
      </a>
      <ErrorSummary
        form={rateForm}
        fields={[
          rateFields.grade_id,
          rateFields.annual_salary_pence,
          rateFields.effective_from,
          rateFields.confirm_backdate,
        ]}
      />
      <ErrorSummary
        form={gradeForm}
        fields={[gradeFields.name, gradeFields.annual_salary_pence, gradeFields.effective_from]}
      />
      <ErrorSummary
        form={detailsForm}
        fields={[
          detailsFields.name,
          detailsFields.short_name,
          detailsFields.type,
          detailsFields.on_cost_pct,
          detailsFields.overhead_pct,
          detailsFields.mileage_pence,
        ]}
      />
      <SuccessBanner message={doneMessage} />
      <span className="govuk-caption-l">Agency</span>
      <h1 className="govuk-heading-l">{agency.name}</h1>

      <SummaryList
        rows={[
          { key: "Type", value: AGENCY_TYPE_LABELS[agency.type] },
          { key: "Short name", value: agency.short_name ?? "None" },
          {
            key: "On-cost",
            value: `${percent(effective.on_cost_pct)}${agency.on_cost_pct === null ? " (workspace default)" : ""}`,
          },
          {
            key: "Overhead",
            value: `${percent(effective.overhead_pct)}${agency.overhead_pct === null ? " (workspace default)" : ""}`,
          },
          {
            key: "Mileage rate",
            value: `${effective.mileage_pence}p a mile${agency.mileage_pence === null ? " (workspace default)" : ""}`,
          },
        ]}
      />

      <h2 className="govuk-heading-m" id="rate-card">
        Rate card
      </h2>
      <p className="govuk-body">
        Hourly cost is the annual salary plus {percent(effective.on_cost_pct)} on-cost and{" "}
        {percent(effective.overhead_pct)} overhead, over{" "}
        {effective.annual_working_hours.toLocaleString("en-GB")} working hours a year. Meetings are costed at
        the salary in force on the day they were held.
      </p>
      {grades.length === 0 ? (
        <p className="govuk-body">This agency has no grades yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">
            Grades and current salaries
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Grade
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Annual salary
              </th>
              <th scope="col" className="govuk-table__header">
                Since
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Hourly cost
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                People
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {grades.map((grade) => (
              <tr className="govuk-table__row" key={grade.id}>
                <th scope="row" className="govuk-table__header">
                  {grade.name}
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {grade.current ? formatPence(grade.current.annual_salary_pence) : "None yet"}
                </td>
                <td className="govuk-table__cell">
                  {grade.current ? formatDate(grade.current.effective_from) : "—"}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">
                  {grade.current ? formatPence(grade.current.hourly_cost_pence) : "—"}
                </td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{grade.people_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="govuk-body">
        <a className="govuk-link" href="/admin/rate-cards.csv" download>
          Download every agency's rate cards (CSV)
        </a>
      </p>

      {grades.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Salary history</h2>
          {grades.map((grade) => (
            <table className="govuk-table" key={grade.id}>
              <caption className="govuk-table__caption govuk-table__caption--s">{grade.name}</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    From
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Annual salary
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Hourly cost
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {grade.history.map((rate) => (
                  <tr className="govuk-table__row" key={rate.id}>
                    <td className="govuk-table__cell">{formatDate(rate.effective_from)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPence(rate.annual_salary_pence)}
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPence(rate.hourly_cost_pence)}
                    </td>
                    <td className="govuk-table__cell">
                      {rate.status === "current" ? (
                        <Tag colour="green">In force</Tag>
                      ) : rate.status === "scheduled" ? (
                        <Tag colour="blue">From a future date</Tag>
                      ) : (
                        <Tag colour="grey">Replaced</Tag>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </>
      ) : null}

      {canChange ? (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            {grades.length > 0 ? (
              <RateForm
                form={rateForm}
                fields={rateFields}
                grades={grades.map((g) => ({ value: String(g.id), label: g.name }))}
                today={detail.today}
              />
            ) : null}
            <GradeForm form={gradeForm} fields={gradeFields} />
            <DetailsForm form={detailsForm} fields={detailsFields} defaults={defaults} />
            <p className="govuk-body">
              <a className="govuk-link" href={`/admin/people/new?agency=${agency.id}`}>
                Add a person from {agency.name}
              </a>
            </p>
          </div>
        </div>
      ) : null}
    </>
  );
}

function IntentField({ value }: { value: FormName }) {
  return <input type="hidden" name="intent" value={value} />;
}

function RateForm({
  form,
  fields,
  grades,
  today,
}: {
  form: FormMetadata<z.input<typeof rateSchema>>;
  fields: Record<"grade_id" | "annual_salary_pence" | "effective_from" | "confirm_backdate", FieldLike>;
  grades: { value: string; label: string }[];
  today: string;
}) {
  const confirmError = fields.confirm_backdate.errors?.[0];
  return (
    <section aria-labelledby="rate-heading">
      <h2 className="govuk-heading-m" id="rate-heading">
        Add a new salary
      </h2>
      <p className="govuk-body">
        For a pay award or a change of pay scale. The salary it replaces stays in the history, and meetings
        before the date keep their cost.
      </p>
      <Form method="post" {...getFormProps(form)}>
        <IntentField value="rate" />
        <SelectField field={fields.grade_id} label="Grade" placeholder="Choose a grade" options={grades} />
        <TextField
          field={fields.annual_salary_pence}
          label="Annual salary in pounds"
          hint="For example, 38,500 or 38500.00"
          className="govuk-input--width-10"
          inputMode="decimal"
        />
        <TextField
          field={fields.effective_from}
          label="Takes effect from"
          hint={`For example, 1/4/2027. Today is ${today.split("-").reverse().join("/")}`}
          type="date"
          className="govuk-input--width-10"
        />
        {confirmError ? (
          <div className="govuk-form-group govuk-form-group--error">
            <p id={`${fields.confirm_backdate.id}-error`} className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {confirmError}
            </p>
            <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <div className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={fields.confirm_backdate.id}
                  name={fields.confirm_backdate.name}
                  type="checkbox"
                  value="yes"
                  aria-describedby={`${fields.confirm_backdate.id}-error`}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={fields.confirm_backdate.id}>
                  Re-price the meetings already held since this date
                </label>
              </div>
            </div>
          </div>
        ) : null}
        <SubmitButton>Add salary</SubmitButton>
      </Form>
    </section>
  );
}

function GradeForm({
  form,
  fields,
}: {
  form: FormMetadata<z.input<typeof gradeSchema>>;
  fields: Record<"name" | "annual_salary_pence" | "effective_from", FieldLike>;
}) {
  return (
    <section aria-labelledby="grade-heading">
      <h2 className="govuk-heading-m" id="grade-heading">
        Add a grade
      </h2>
      <Form method="post" {...getFormProps(form)}>
        <IntentField value="grade" />
        <TextField
          field={fields.name}
          label="Grade"
          hint="For example, Band 4 or PO grade 5"
          className="govuk-input--width-20"
        />
        <TextField
          field={fields.annual_salary_pence}
          label="Annual salary in pounds"
          hint="For example, 38,500 or 38500.00"
          className="govuk-input--width-10"
          inputMode="decimal"
        />
        <TextField
          field={fields.effective_from}
          label="Salary takes effect from"
          hint="For example, 1/4/2026"
          type="date"
          className="govuk-input--width-10"
        />
        <SubmitButton>Add grade</SubmitButton>
      </Form>
    </section>
  );
}

function DetailsForm({
  form,
  fields,
  defaults,
}: {
  form: FormMetadata<z.input<typeof agencySchema>>;
  fields: Record<
    "name" | "short_name" | "type" | "on_cost_pct" | "overhead_pct" | "mileage_pence",
    FieldLike
  >;
  defaults: { on_cost_pct: number; overhead_pct: number; mileage_pence: number };
}) {
  return (
    <section aria-labelledby="details-heading">
      <h2 className="govuk-heading-m" id="details-heading">
        Change agency details
      </h2>
      <Form method="post" {...getFormProps(form)}>
        <IntentField value="details" />
        <AgencyFields fields={fields} defaults={defaults} />
        <SubmitButton secondary>Save agency details</SubmitButton>
      </Form>
    </section>
  );
}
