import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect } from "react-router";
import type { z } from "zod";
import { agencyOptions } from "~/admin/agencies.server";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import {
  addMembership,
  endMembership,
  listMemberships,
  type MembershipRow,
  personOptions,
  removeMembership,
  requireRunnableBoard,
} from "~/boards/board-admin.server";
import { MEMBERSHIP_ROLE_LABELS } from "~/boards/labels";
import {
  endMembershipSchema,
  MEMBERSHIP_ROLES,
  membershipSchema,
  removeMembershipSchema,
} from "~/boards/schemas";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { formatDate } from "~/format";
import type { Route } from "./+types/boards.$boardId_.members";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: data ? `Members of ${data.board.name} – Boardledger` : "Boardledger" },
];

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const board = await requireRunnableBoard(viewer, params.boardId);
  const boardId = board.id;
  const [memberships, people, agencyRows] = await Promise.all([
    listMemberships(viewer.db, boardId),
    personOptions(viewer.db),
    agencyOptions(viewer.db),
  ]);
  const agencies = agencyRows.map((a) => ({ value: String(a.id), label: a.name }));
  return { board: { id: board.id, name: board.name }, memberships, people, agencies };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const { id: boardId } = await requireRunnableBoard(viewer, params.boardId);
  const actor = actorFor(viewer, request);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "end") {
    const submission = parseWithZod(formData, { schema: endMembershipSchema });
    const membershipId = Number(formData.get("membership_id"));
    if (submission.status !== "success") {
      return data({ end: { membershipId, errors: submission.reply().error ?? {} } }, { status: 400 });
    }
    const { membership_id, to_date } = submission.value;
    const result = await endMembership(viewer.db, actor, boardId, membership_id, to_date);
    if (!result.ok) {
      if (result.notFound) notFound();
      return data({ end: { membershipId, errors: result.fieldErrors } }, { status: 400 });
    }
    return redirect(`/boards/${boardId}/members`);
  }
  if (intent === "remove") {
    const submission = parseWithZod(formData, { schema: removeMembershipSchema });
    if (submission.status !== "success") notFound();
    if (!(await removeMembership(viewer.db, actor, boardId, submission.value.membership_id))) notFound();
    return redirect(`/boards/${boardId}/members`);
  }
  const submission = parseWithZod(formData, { schema: membershipSchema });
  if (submission.status !== "success") return data({ add: submission.reply() }, { status: 400 });
  const result = await addMembership(viewer.db, actor, boardId, submission.value);
  if (!result.ok) {
    if (result.notFound) notFound();
    return data({ add: submission.reply({ fieldErrors: result.fieldErrors }) }, { status: 400 });
  }
  return redirect(`/boards/${boardId}/members`);
}

function MembershipRowView({
  membership,
  endError,
}: {
  membership: MembershipRow;
  endError: string | undefined;
}) {
  const dateId = `end-${membership.id}`;
  return (
    <tr className="govuk-table__row">
      <th scope="row" className="govuk-table__header">
        {membership.personName}
      </th>
      <td className="govuk-table__cell">{membership.agencyName}</td>
      <td className="govuk-table__cell">{MEMBERSHIP_ROLE_LABELS[membership.role]}</td>
      <td className="govuk-table__cell">{formatDate(membership.fromDate)}</td>
      <td className="govuk-table__cell">
        {membership.toDate ? formatDate(membership.toDate) : "No end date"}
      </td>
      <td className="govuk-table__cell">
        <Form method="post">
          <input type="hidden" name="membership_id" value={membership.id} />
          <div className={`govuk-form-group${endError ? " govuk-form-group--error" : ""}`}>
            <label className="govuk-label govuk-label--s" htmlFor={dateId}>
              End date
            </label>
            {endError ? (
              <p id={`${dateId}-error`} className="govuk-error-message">
                <span className="govuk-visually-hidden">Error:</span> {endError}
              </p>
            ) : null}
            <input
              className={`govuk-input govuk-input--width-10${endError ? " govuk-input--error" : ""}`}
              id={dateId}
              name="to_date"
              type="date"
              defaultValue={membership.toDate ?? ""}
              aria-describedby={endError ? `${dateId}-error` : undefined}
            />
          </div>
          <SubmitButton secondary name="intent" value="end">
            End membership
          </SubmitButton>{" "}
          <SubmitButton secondary name="intent" value="remove">
            Remove (added by mistake)
          </SubmitButton>
        </Form>
      </td>
    </tr>
  );
}

export default function BoardMembers({ loaderData, actionData }: Route.ComponentProps) {
  const { board, memberships, people, agencies } = loaderData;
  const addResult = actionData && "add" in actionData ? actionData.add : undefined;
  const endResult = actionData && "end" in actionData ? actionData.end : undefined;
  const [form, fields] = useForm<z.input<typeof membershipSchema>>({
    id: "membership",
    lastResult: addResult,
    defaultValue: { role: "member" },
    constraint: getZodConstraint(membershipSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <>
      <Link to={`/boards/${board.id}`} className="govuk-back-link">
        Back to {board.name}
      </Link>
      <ErrorSummary
        form={form}
        fields={[fields.person_id, fields.agency_id, fields.role, fields.from_date, fields.to_date]}
      />
      <h1 className="govuk-heading-l">Members of {board.name}</h1>
      {memberships.length === 0 ? (
        <p className="govuk-body">This board has no memberships yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">
            Memberships of {board.name}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Person
              </th>
              <th scope="col" className="govuk-table__header">
                Agency represented
              </th>
              <th scope="col" className="govuk-table__header">
                Role
              </th>
              <th scope="col" className="govuk-table__header">
                From
              </th>
              <th scope="col" className="govuk-table__header">
                To
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {memberships.map((membership) => {
              const errors =
                endResult && endResult.membershipId === membership.id ? endResult.errors : undefined;
              const endError = errors ? (Object.values(errors).flat()[0] ?? undefined) : undefined;
              return <MembershipRowView key={membership.id} membership={membership} endError={endError} />;
            })}
          </tbody>
        </table>
      )}

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">Add a membership</h2>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="add" />
            <SelectField
              field={fields.person_id}
              label="Person"
              placeholder="Choose a person"
              options={people}
            />
            <SelectField
              field={fields.agency_id}
              label="Agency represented"
              hint="Leave as it is to use the person's own agency."
              placeholder="The person's own agency"
              options={agencies}
            />
            <SelectField
              field={fields.role}
              label="Role"
              options={MEMBERSHIP_ROLES.map((value) => ({ value, label: MEMBERSHIP_ROLE_LABELS[value] }))}
            />
            <TextField field={fields.from_date} label="From" hint="For example, 2026-04-01" type="date" />
            <TextField
              field={fields.to_date}
              label="To (optional)"
              hint="Leave empty if there is no end date"
              type="date"
            />
            <SubmitButton>Add membership</SubmitButton>
          </Form>
        </div>
      </div>
    </>
  );
}
