import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { agencyOptions, gradeOptions } from "~/admin/agencies.server";
import { PersonFields } from "~/admin/components/person-fields";
import { SuccessBanner } from "~/admin/components/success-banner";
import { getPerson, updatePerson } from "~/admin/people.server";
import { personSchema } from "~/admin/schemas";
import { actorFor } from "~/admin/shared.server";
import { can, ensure, notFound } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/admin.people.$personId";

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.person.full_name ?? "Person"} – Boardledger` },
];

function personIdFrom(params: { personId?: string }): number {
  const id = Number(params.personId);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

const DONE_MESSAGES: Record<string, string> = {
  created: "Person added.",
  saved: "Changes saved.",
};

export async function loader({ request, params }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const person = await getPerson(viewer.db, personIdFrom(params));
  if (!person) notFound();
  const [agencies, grades] = await Promise.all([agencyOptions(viewer.db), gradeOptions(viewer.db)]);
  // An archived agency still shows for the people who belong to it.
  if (!agencies.some((a) => a.id === person.agency_id))
    agencies.push({ id: person.agency_id, name: person.agency_name });
  const done = new URL(request.url).searchParams.get("done");
  return { person, agencies, grades, doneMessage: done ? (DONE_MESSAGES[done] ?? null) : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const personId = personIdFrom(params);
  const submission = parseWithZod(await request.formData(), { schema: personSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updatePerson(viewer.db, actorFor(viewer, request), personId, submission.value);
  if (!result.ok) {
    if (result.notFound) notFound();
    return data(submission.reply({ fieldErrors: result.fieldErrors }), { status: 400 });
  }
  return redirect(`/admin/people/${personId}?done=saved`);
}

export default function PersonPage({ loaderData, actionData }: Route.ComponentProps) {
  const { person, agencies, grades, doneMessage } = loaderData;
  const [form, fields] = useForm<z.input<typeof personSchema>>({
    id: "person",
    lastResult: actionData,
    defaultValue: {
      full_name: person.full_name,
      email: person.email ?? "",
      agency_id: String(person.agency_id),
      grade_id: person.grade_id === null ? "" : String(person.grade_id),
      job_title: person.job_title ?? "",
      usual_travel_minutes: String(person.usual_travel_minutes),
    },
    constraint: getZodConstraint(personSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/people" className="govuk-back-link">
          Back to people
        </a>
        <ErrorSummary
          form={form}
          fields={[
            fields.full_name,
            fields.email,
            fields.agency_id,
            fields.grade_id,
            fields.job_title,
            fields.usual_travel_minutes,
          ]}
        />
        <SuccessBanner message={doneMessage} />
        <span className="govuk-caption-l">{person.agency_name}</span>
        <h1 className="govuk-heading-l">{person.full_name}</h1>
        <p className="govuk-body">
          {person.has_login
            ? "This person signs in to Boardledger. Their roles are managed on the Users page."
            : "This person has no Boardledger login. Invite them from the Users page if they need one."}{" "}
          <a className="govuk-link" href="/admin/users">
            Users
          </a>
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href={`/admin/people/${person.id}/interests`}>
            Register of interests
          </a>
        </p>
        <Form method="post" {...getFormProps(form)}>
          <PersonFields fields={fields} agencies={agencies} grades={grades} />
          <SubmitButton>Save changes</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
