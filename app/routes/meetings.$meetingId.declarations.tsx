import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { notFound } from "~/auth/authorise.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { getDeclarations, recordDeclaration, removeDeclaration } from "~/declarations/declarations.server";
import { declarationSchema, removeDeclarationSchema } from "~/declarations/schemas";
import { formatDateTime } from "~/format";
import type { Route } from "./+types/meetings.$meetingId.declarations";

/*
 * /meetings/:meetingId/declarations: declarations of interest made at a meeting, against an
 * agenda item or the meeting as a whole, drawn from each person's register of interests
 * (kept once, whatever board they sit on). The board's secretary and admins; others 404.
 */

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Declarations of interest: ${data.meeting.boardName}, ${formatDateTime(data.meeting.startsAt)} – Boardledger`
      : "Declarations of interest – Boardledger",
  },
];

function meetingIdFrom(params: { meetingId?: string }): number {
  if (!params.meetingId || !/^\d{1,15}$/.test(params.meetingId)) notFound();
  return Number(params.meetingId);
}

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getDeclarations(viewer, meetingIdFrom(params));
  const done = new URL(request.url).searchParams.get("done");
  const doneMessage =
    done === "recorded"
      ? "The declaration has been recorded."
      : done === "removed"
        ? "The declaration has been removed."
        : null;
  return { ...page, doneMessage };
}

interface DeclarationsActionResult {
  result: SubmissionResult<string[]>;
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const meetingId = meetingIdFrom(params);
  const formData = await request.formData();
  const ip = clientAddress(request);
  if (formData.get("intent") === "remove") {
    const submission = parseWithZod(formData, { schema: removeDeclarationSchema });
    if (submission.status !== "success") {
      await getDeclarations(viewer, meetingId); // 404 first for those who may not see it
      return data<DeclarationsActionResult>({ result: submission.reply() }, { status: 400 });
    }
    const removed = await removeDeclaration(viewer, meetingId, submission.value.declarationId, { ip });
    if (!removed) notFound();
    return redirect(`/meetings/${meetingId}/declarations?done=removed`);
  }
  const submission = parseWithZod(formData, { schema: declarationSchema });
  if (submission.status !== "success") {
    await getDeclarations(viewer, meetingId);
    return data<DeclarationsActionResult>({ result: submission.reply() }, { status: 400 });
  }
  const outcome = await recordDeclaration(viewer, meetingId, submission.value, { ip });
  if (!outcome.ok) {
    return data<DeclarationsActionResult>(
      { result: submission.reply({ fieldErrors: outcome.fieldErrors }) },
      { status: 400 },
    );
  }
  return redirect(`/meetings/${meetingId}/declarations?done=recorded`);
}

export default function DeclarationsPage(props: Route.ComponentProps) {
  const location = useLocation();
  return <DeclarationsPageBody key={location.key} {...props} />;
}

function DeclarationsPageBody({ loaderData, actionData }: Route.ComponentProps) {
  const { meeting, people, agendaItems, declarations, doneMessage } = loaderData;
  const last = actionData as DeclarationsActionResult | undefined;
  const [form, fields] = useForm<z.input<typeof declarationSchema>>({
    id: "declare",
    lastResult: last?.result,
    constraint: getZodConstraint(declarationSchema),
    shouldValidate: "onSubmit",
  });
  const interestOptions = people.flatMap((p) =>
    p.interests.map((i) => ({ value: String(i.id), label: `${p.name}: ${i.description}` })),
  );

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

      <ErrorSummary
        form={form}
        fields={[fields.personId, fields.agendaItemId, fields.interestId, fields.text]}
      />
      <SuccessBanner message={doneMessage} />

      <span className="govuk-caption-l">
        {meeting.boardName} · {formatDateTime(meeting.startsAt)}
      </span>
      <h1 className="govuk-heading-l">Declarations of interest</h1>

      {declarations.length === 0 ? (
        <p className="govuk-body">No declarations of interest have been recorded for this meeting.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Declared at this meeting</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Agenda item
              </th>
              <th scope="col" className="govuk-table__header">
                Person
              </th>
              <th scope="col" className="govuk-table__header">
                Declaration
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {declarations.map((d) => (
              <tr className="govuk-table__row" key={d.id}>
                <td className="govuk-table__cell">
                  {d.agendaItemTitle === null
                    ? "The whole meeting"
                    : `${d.agendaItemPosition}. ${d.agendaItemTitle}`}
                </td>
                <td className="govuk-table__cell">{d.personName}</td>
                <td className="govuk-table__cell">
                  {d.text}
                  {d.interest ? (
                    <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0">
                      {`Registered interest: ${d.interest}`}
                    </span>
                  ) : null}
                </td>
                <td className="govuk-table__cell">
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="declarationId" value={d.id} />
                    <button
                      type="submit"
                      className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                    >
                      Remove<span className="govuk-visually-hidden"> the declaration by {d.personName}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {people.length === 0 ? (
        <p className="govuk-body">No one is on this meeting's register yet.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} noValidate>
          <h2 className="govuk-heading-m">Record a declaration</h2>
          <input type="hidden" name="intent" value="declare" />
          <SelectField
            field={fields.personId}
            label="Who declared an interest"
            options={people.map((p) => ({ value: String(p.id), label: p.name }))}
            placeholder="Choose a person"
          />
          <SelectField
            field={fields.agendaItemId}
            label="Agenda item"
            options={agendaItems.map((a) => ({ value: String(a.id), label: `${a.position}. ${a.title}` }))}
            placeholder="The whole meeting"
          />
          <SelectField
            field={fields.interestId}
            label="Registered interest (optional)"
            hint="From their register of interests, which is kept once for every board they sit on."
            options={interestOptions}
            placeholder="None of these"
          />
          <TextAreaField field={fields.text} label="What was declared" rows={3} />
          <SubmitButton>Record declaration</SubmitButton>
        </Form>
      )}
    </>
  );
}
