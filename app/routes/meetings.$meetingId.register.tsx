import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { useMemo } from "react";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { quorum as quorumOf, quorumSummary } from "~/attendance/quorum";
import {
  addAttendee,
  getRegister,
  type RegisterContext,
  registerContext,
  saveRegister,
} from "~/attendance/register.server";
import { CellInput, CellSelect } from "~/attendance/register-fields";
import {
  ATTENDANCE_MODE_LABELS,
  ATTENDANCE_MODES,
  ATTENDANCE_STATUS_LABELS,
  ATTENDANCE_STATUSES,
  addAttendeeSchema,
  CANCELLED_REGISTER_MESSAGE,
  penceToPounds,
  registerSchema,
  STALE_REGISTER_MESSAGE,
} from "~/attendance/schemas";
import { notFound } from "~/auth/authorise.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { MEMBERSHIP_ROLE_LABELS } from "~/boards/labels";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, type FieldLike, SubmitButton } from "~/components/forms";
import { Tag } from "~/components/tag";
import { formatDateTime, formatDuration, formatPence } from "~/format";
import type { Route } from "./+types/meetings.$meetingId.register";

/*
 * /meetings/:meetingId/register: the attendance register, one form for everyone invited
 * (board secretary or admin; anyone else 404). Saved whole or not at all; a register changed
 * by someone else since the page was opened is refused. Shows quorum and the meeting's cost
 * from the cost model. A second small form adds someone who is not a member.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Register: ${data.meeting.boardName}, ${formatDateTime(data.meeting.startsAt)} – Boardledger`
      : "Register – Boardledger",
  },
];

function meetingIdFrom(params: { meetingId?: string }): number {
  if (!params.meetingId || !/^\d{1,15}$/.test(params.meetingId)) notFound();
  return Number(params.meetingId);
}

function schemaFor(context: Pick<RegisterContext, "meeting" | "rows" | "people">) {
  return registerSchema({
    durationMinutes: context.meeting.durationMinutes,
    personOf: new Map(context.rows.map((r) => [r.id, r.personId])),
    people: new Set(context.people.map((p) => p.id)),
  });
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getRegister(viewer, meetingIdFrom(params));
  const search = new URL(request.url).searchParams;
  const doneMessage =
    search.get("done") === "saved"
      ? search.get("held") === "1"
        ? "The register has been saved and the meeting is now marked as held."
        : "The register has been saved."
      : search.get("done") === "added"
        ? "The person has been added to the register."
        : null;
  return { ...page, doneMessage };
}

interface RegisterActionResult {
  form: "register" | "add";
  result: SubmissionResult<string[]>;
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meetingId = meetingIdFrom(params);
  // Authorises (404) before anything in the form is looked at.
  const context = await registerContext(viewer, meetingId);
  const formData = await request.formData();
  const ip = clientAddress(request);

  if (formData.get("intent") === "add") {
    const submission = parseWithZod(formData, { schema: addAttendeeSchema });
    if (submission.status !== "success") {
      return data<RegisterActionResult>({ form: "add", result: submission.reply() }, { status: 400 });
    }
    const outcome = await addAttendee(viewer, meetingId, submission.value.personId, { ip });
    if (!outcome.ok) {
      return data<RegisterActionResult>(
        { form: "add", result: submission.reply({ fieldErrors: { personId: [outcome.message] } }) },
        { status: 400 },
      );
    }
    return redirect(`/meetings/${meetingId}/register?done=added`);
  }

  const submission = parseWithZod(formData, { schema: schemaFor(context) });
  if (submission.status !== "success") {
    return data<RegisterActionResult>({ form: "register", result: submission.reply() }, { status: 400 });
  }
  const outcome = await saveRegister(viewer, meetingId, submission.value, { ip });
  if (outcome.ok) {
    return redirect(`/meetings/${meetingId}/register?done=saved${outcome.markedHeld ? "&held=1" : ""}`);
  }
  const message = outcome.reason === "stale" ? STALE_REGISTER_MESSAGE : CANCELLED_REGISTER_MESSAGE;
  return data<RegisterActionResult>(
    { form: "register", result: submission.reply({ formErrors: [message] }) },
    { status: 409 },
  );
}

export default function RegisterPage(props: Route.ComponentProps) {
  // Each navigation starts the forms afresh from the latest answer.
  const location = useLocation();
  return <RegisterPageBody key={location.key} {...props} />;
}

function RegisterPageBody({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, rows, people, version, quorum, costPence, heldOnSave, doneMessage } = loaderData;
  const last = actionData as RegisterActionResult | undefined;
  const schema = useMemo(() => schemaFor(loaderData), [loaderData]);
  const [form, fields] = useForm<z.input<typeof schema>>({
    id: "register",
    lastResult: last?.form === "register" ? last.result : undefined,
    defaultValue: {
      version,
      rows: rows.map((r) => ({
        id: r.id,
        status: r.status,
        deputy: r.deputyPersonId ?? undefined,
        minutesPresent: r.minutesPresent ?? undefined,
        mode: r.mode,
        travelMinutes: r.travelMinutes,
        miles: r.miles,
        expenses: penceToPounds(r.otherExpensesPence),
      })),
    },
    constraint: getZodConstraint(schema),
    shouldValidate: "onSubmit",
  });
  const [addForm, addFields] = useForm<z.input<typeof addAttendeeSchema>>({
    id: "add-person",
    lastResult: last?.form === "add" ? last.result : undefined,
    constraint: getZodConstraint(addAttendeeSchema),
    shouldValidate: "onSubmit",
  });

  const rowFields = fields.rows.getFieldList();
  const summaryFields: FieldLike[] = rowFields.flatMap((rowField, index) => {
    const name = rows[index]?.name ?? `Row ${index + 1}`;
    const set = rowField.getFieldset();
    return [
      set.status,
      set.deputy,
      set.minutesPresent,
      set.mode,
      set.travelMinutes,
      set.miles,
      set.expenses,
    ].map((f) => ({ id: f.id, name: f.name, errors: f.errors?.map((message) => `${name}: ${message}`) }));
  });
  // Quorum as the statuses now stand in the form, so the secretary sees it change while marking.
  const liveQuorum = quorumOf(
    rows.map((row, index) => {
      const marked = rowFields[index]?.getFieldset().status.value;
      const status = ATTENDANCE_STATUSES.find((s) => s === marked) ?? row.status;
      return { status, memberAgencyId: row.memberAgencyId };
    }),
    quorum.needed,
  );
  const onRegister = new Set(rows.map((r) => r.personId));
  const personOptions = people.map((p) => ({ value: String(p.id), label: `${p.name} (${p.agencyName})` }));
  const addable = people
    .filter((p) => !p.archived && !onRegister.has(p.id))
    .map((p) => ({ value: String(p.id), label: `${p.name} (${p.agencyName})` }));
  const statusOptions = ATTENDANCE_STATUSES.map((s) => ({ value: s, label: ATTENDANCE_STATUS_LABELS[s] }));
  const modeOptions = ATTENDANCE_MODES.map((m) => ({ value: m, label: ATTENDANCE_MODE_LABELS[m] }));
  const cancelled = meeting.status === "cancelled";

  return (
    <>
      <nav className="govuk-breadcrumbs govuk-!-margin-top-0 govuk-!-margin-bottom-6" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/boards/${meeting.boardId}`}>
              {meeting.boardName}
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/meetings/${meeting.id}`}>
              Meeting on {formatDateTime(meeting.startsAt)}
            </Link>
          </li>
        </ol>
      </nav>

      <ErrorSummary form={form} fields={summaryFields} />
      <ErrorSummary form={addForm} fields={[addFields.personId]} />
      <SuccessBanner message={doneMessage} />

      <span className="govuk-caption-l">
        {meeting.boardName} · {formatDateTime(meeting.startsAt)} · {formatDuration(meeting.durationMinutes)}
      </span>
      <h1 className="govuk-heading-l">Attendance register</h1>

      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Quorum</dt>
          <dd className="govuk-summary-list__value" id="quorum">
            <span aria-live="polite" aria-atomic="true">
              <Tag colour={liveQuorum.quorate ? "green" : "red"}>
                {liveQuorum.quorate ? "Quorate" : "Not quorate"}
              </Tag>{" "}
              {quorumSummary(liveQuorum)}
            </span>
            <div className="govuk-hint govuk-!-margin-bottom-0">
              Member agencies present as marked below, counting a deputy for the agency of the member they
              stand in for.
            </div>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Cost of the meeting</dt>
          <dd className="govuk-summary-list__value" id="cost">
            {formatPence(costPence)}
            <div className="govuk-hint govuk-!-margin-bottom-0">
              Staff time of those present (a deputy at their own grade), travel, mileage and expenses, plus
              venue and catering, as last saved.
            </div>
          </dd>
        </div>
      </dl>

      {form.errors?.includes(STALE_REGISTER_MESSAGE) ? (
        <p className="govuk-body">
          <a className="govuk-link" href={`/meetings/${meeting.id}/register`}>
            Reload the register
          </a>{" "}
          to see it as it is now.
        </p>
      ) : null}

      {cancelled ? (
        <div className="govuk-inset-text">{CANCELLED_REGISTER_MESSAGE}</div>
      ) : heldOnSave ? (
        <div className="govuk-inset-text">
          This meeting has taken place. Saving the register will mark it as held.
        </div>
      ) : null}

      {rows.length === 0 ? (
        <p className="govuk-body">No one has been invited to this meeting yet.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} noValidate>
          <input type="hidden" name="intent" value="save" />
          {/* The version the form was opened on: kept after a refusal, so a stale form stays stale until reloaded. */}
          <input
            type="hidden"
            name={fields.version.name}
            value={typeof fields.version.initialValue === "string" ? fields.version.initialValue : version}
          />
          {/* A save button above the table too, so a long register need not be tabbed through to save. */}
          {cancelled ? null : <SubmitButton secondary>Save register</SubmitButton>}
          <p className="govuk-body">
            Leave minutes present blank if they were there for the whole meeting. Choose a deputy only when
            the status is ‘Deputy sent’; the deputy is costed at their own grade. Remote attendees have no
            travel costed.
          </p>
          <div className="app-table-scroll">
            <table className="govuk-table govuk-!-font-size-16">
              <caption className="govuk-table__caption govuk-table__caption--m">
                {rows.length} {rows.length === 1 ? "person" : "people"} on the register
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Person
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Status
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Deputy
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Minutes present
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Mode
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Travel minutes
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Miles
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Other expenses
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {rowFields.map((rowField, index) => {
                  const row = rows[index];
                  if (!row) return null;
                  const set = rowField.getFieldset();
                  return (
                    <tr className="govuk-table__row" key={rowField.key}>
                      <th scope="row" className="govuk-table__header">
                        <input type="hidden" name={set.id.name} value={row.id} />
                        {row.name}
                        <span className="govuk-body-s govuk-!-display-block govuk-!-font-weight-regular">
                          {row.agencyName}
                          {row.memberRole
                            ? ` · ${MEMBERSHIP_ROLE_LABELS[row.memberRole]}`
                            : " · Not a member"}
                        </span>
                      </th>
                      <td className="govuk-table__cell">
                        <CellSelect
                          field={set.status}
                          label={`Status for ${row.name}`}
                          options={statusOptions}
                        />
                      </td>
                      <td className="govuk-table__cell">
                        <CellSelect
                          field={set.deputy}
                          label={`Deputy for ${row.name}`}
                          options={personOptions.filter((p) => p.value !== String(row.personId))}
                          placeholder="No deputy"
                        />
                      </td>
                      <td className="govuk-table__cell">
                        <CellInput
                          field={set.minutesPresent}
                          label={`Minutes present for ${row.name} (blank for the whole meeting)`}
                          inputMode="numeric"
                        />
                      </td>
                      <td className="govuk-table__cell">
                        <CellSelect field={set.mode} label={`Mode for ${row.name}`} options={modeOptions} />
                      </td>
                      <td className="govuk-table__cell">
                        <CellInput
                          field={set.travelMinutes}
                          label={`Travel minutes for ${row.name}`}
                          inputMode="numeric"
                        />
                      </td>
                      <td className="govuk-table__cell">
                        <CellInput field={set.miles} label={`Miles for ${row.name}`} inputMode="decimal" />
                      </td>
                      <td className="govuk-table__cell">
                        <CellInput
                          field={set.expenses}
                          label={`Other expenses in pounds for ${row.name}`}
                          inputMode="decimal"
                          prefix="£"
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {cancelled ? null : <SubmitButton>Save register</SubmitButton>}
        </Form>
      )}

      {cancelled || addable.length === 0 ? null : (
        <Form method="post" {...getFormProps(addForm)} noValidate>
          <h2 className="govuk-heading-m">Add someone who is not a member</h2>
          <input type="hidden" name="intent" value="add" />
          <SelectField
            field={addFields.personId}
            label="Person"
            hint="They are added as invited; then record their attendance above and save the register."
            options={addable}
            placeholder="Choose a person"
          />
          <SubmitButton secondary>Add to the register</SubmitButton>
        </Form>
      )}
    </>
  );
}
