import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { agencyOptions, gradeOptions } from "~/admin/agencies.server";
import { PersonFields } from "~/admin/components/person-fields";
import { createPerson } from "~/admin/people.server";
import { personSchema } from "~/admin/schemas";
import { actorFor } from "~/admin/shared.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/admin.people.new";

export const meta: Route.MetaFunction = () => [{ title: "Add a person – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const [agencies, grades] = await Promise.all([agencyOptions(viewer.db), gradeOptions(viewer.db)]);
  // "Add a person from <agency>" on an agency's page chooses that agency.
  const agency = new URL(request.url).searchParams.get("agency") ?? "";
  const preselected = agencies.some((a) => String(a.id) === agency) ? agency : "";
  return { agencies, grades, preselected };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: personSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createPerson(viewer.db, actorFor(viewer, request), submission.value);
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: result.notFound ? {} : result.fieldErrors }), {
      status: 400,
    });
  }
  return redirect(`/admin/people/${result.id}?done=created`);
}

export default function NewPerson({ loaderData, actionData }: Route.ComponentProps) {
  const { agencies, grades, preselected } = loaderData;
  const [form, fields] = useForm<z.input<typeof personSchema>>({
    id: "person",
    lastResult: actionData,
    defaultValue: { agency_id: preselected },
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
        <h1 className="govuk-heading-l">Add a person</h1>
        {agencies.length === 0 ? (
          <p className="govuk-body">
            Everyone belongs to an agency.{" "}
            <a className="govuk-link" href="/admin/agencies/new">
              Add an agency
            </a>{" "}
            first.
          </p>
        ) : (
          <Form method="post" {...getFormProps(form)}>
            <PersonFields fields={fields} agencies={agencies} grades={grades} />
            <SubmitButton>Add person</SubmitButton>
          </Form>
        )}
      </div>
    </div>
  );
}
