import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, Link, redirect, useLocation } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { actorFor } from "~/admin/shared.server";
import { notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { formatDate } from "~/format";
import { addInterest, endInterest, getPersonInterests, removeInterest } from "~/interests/interests.server";
import { addInterestSchema, endInterestSchema, removeInterestSchema } from "~/interests/schemas";
import type { Route } from "./+types/admin.people.$personId_.interests";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Interests – ${data?.person.name ?? "Person"} – Boardledger` },
];

function personIdFrom(params: { personId?: string }): number {
  const id = Number(params.personId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

const DONE_MESSAGES: Record<string, string> = {
  added: "Interest added.",
  ended: "Interest ended.",
  removed: "Interest removed.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const page = await getPersonInterests(viewer, personIdFrom(params));
  const done = new URL(request.url).searchParams.get("done");
  return { ...page, doneMessage: done ? (DONE_MESSAGES[done] ?? null) : null };
}

interface InterestsActionResult {
  intent: "add" | "end";
  result: SubmissionResult<string[]>;
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const personId = personIdFrom(params);
  // 404 first for those who may not see this person (getPersonInterests checks `administer`).
  await getPersonInterests(viewer, personId);
  const formData = await request.formData();
  const actor = actorFor(viewer, request);
  const intent = formData.get("intent");
  const back = (done: string) => redirect(`/admin/people/${personId}/interests?done=${done}`);
  if (intent === "remove") {
    const submission = parseWithZod(formData, { schema: removeInterestSchema });
    if (submission.status !== "success") notFound();
    if (!(await removeInterest(viewer, personId, submission.value.interestId, actor))) notFound();
    return back("removed");
  }
  if (intent === "end") {
    const submission = parseWithZod(formData, { schema: endInterestSchema });
    if (submission.status !== "success")
      return data<InterestsActionResult>({ intent: "end", result: submission.reply() }, { status: 400 });
    const outcome = await endInterest(viewer, personId, submission.value, actor);
    if (!outcome.ok) {
      if ("notFound" in outcome) notFound();
      return data<InterestsActionResult>(
        { intent: "end", result: submission.reply({ fieldErrors: { endedOn: [outcome.message] } }) },
        { status: 400 },
      );
    }
    return back("ended");
  }
  const submission = parseWithZod(formData, { schema: addInterestSchema });
  if (submission.status !== "success")
    return data<InterestsActionResult>({ intent: "add", result: submission.reply() }, { status: 400 });
  await addInterest(viewer, personId, submission.value, actor);
  return back("added");
}

export default function PersonInterestsPage(props: Route.ComponentProps) {
  const location = useLocation();
  return <PersonInterestsBody key={location.key} {...props} />;
}

function PersonInterestsBody({ loaderData, actionData }: Route.ComponentProps) {
  const { person, interests, doneMessage } = loaderData;
  const last = actionData as InterestsActionResult | undefined;
  const [addForm, addFields] = useForm<z.input<typeof addInterestSchema>>({
    id: "add-interest",
    lastResult: last?.intent === "add" ? last.result : undefined,
    constraint: getZodConstraint(addInterestSchema),
    shouldValidate: "onSubmit",
  });
  const [endForm, endFields] = useForm<z.input<typeof endInterestSchema>>({
    id: "end-interest",
    lastResult: last?.intent === "end" ? last.result : undefined,
    constraint: getZodConstraint(endInterestSchema),
    shouldValidate: "onSubmit",
  });
  const current = interests.filter((i) => i.endedOn === null);

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to={`/admin/people/${person.id}`} className="govuk-back-link">
          Back to {person.name}
        </Link>
        <ErrorSummary form={addForm} fields={[addFields.description, addFields.declaredOn]} />
        <ErrorSummary form={endForm} fields={[endFields.interestId, endFields.endedOn]} />
        <SuccessBanner message={doneMessage} />
        <span className="govuk-caption-l">
          {person.name}, {person.agencyName}
        </span>
        <h1 className="govuk-heading-l">Register of interests</h1>
        <p className="govuk-body">
          Kept once for this person and shown on every board they sit on, and offered when they declare an
          interest at a meeting.
        </p>

        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Interests</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Interest
              </th>
              <th scope="col" className="govuk-table__header">
                Declared on
              </th>
              <th scope="col" className="govuk-table__header">
                Ended on
              </th>
              <th scope="col" className="govuk-table__header">
                <span className="govuk-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {interests.length === 0 ? (
              <tr className="govuk-table__row">
                <td className="govuk-table__cell" colSpan={4}>
                  No interests registered.
                </td>
              </tr>
            ) : (
              interests.map((interest) => (
                <tr className="govuk-table__row" key={interest.id}>
                  <th scope="row" className="govuk-table__header">
                    {interest.description}
                  </th>
                  <td className="govuk-table__cell app-nowrap">{formatDate(interest.declaredOn)}</td>
                  <td className="govuk-table__cell app-nowrap">
                    {interest.endedOn ? formatDate(interest.endedOn) : "Current"}
                  </td>
                  <td className="govuk-table__cell">
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="interestId" value={interest.id} />
                      <button
                        type="submit"
                        className="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                      >
                        Remove<span className="govuk-visually-hidden"> {interest.description}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>

        <h2 className="govuk-heading-m">Add an interest</h2>
        <Form method="post" {...getFormProps(addForm)}>
          <input type="hidden" name="intent" value="add" />
          <TextField
            field={addFields.description}
            label="Interest"
            hint="For example, trustee of a local charity"
          />
          <TextField
            field={addFields.declaredOn}
            label="Declared on"
            hint="For example, 1/4/2026"
            className="govuk-input--width-10"
          />
          <SubmitButton>Add interest</SubmitButton>
        </Form>

        {current.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">End an interest</h2>
            <Form method="post" {...getFormProps(endForm)}>
              <input type="hidden" name="intent" value="end" />
              <SelectField
                field={endFields.interestId}
                label="Interest"
                placeholder="Choose an interest"
                options={current.map((i) => ({ value: String(i.id), label: i.description }))}
              />
              <TextField
                field={endFields.endedOn}
                label="Ended on"
                hint="For example, 31/3/2027"
                className="govuk-input--width-10"
              />
              <SubmitButton secondary>End interest</SubmitButton>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}
