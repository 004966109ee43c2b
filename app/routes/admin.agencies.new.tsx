import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { createAgency } from "~/admin/agencies.server";
import { AgencyFields } from "~/admin/components/agency-fields";
import { agencySchema } from "~/admin/schemas";
import { getSettings } from "~/admin/settings.server";
import { actorFor } from "~/admin/shared.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/admin.agencies.new";

export const meta: Route.MetaFunction = () => [{ title: "Add an agency – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const settings = await getSettings(viewer.db);
  return {
    defaults: {
      on_cost_pct: settings.default_on_cost_pct,
      overhead_pct: settings.default_overhead_pct,
      mileage_pence: settings.default_mileage_pence,
    },
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: agencySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createAgency(viewer.db, actorFor(viewer, request), submission.value);
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: result.notFound ? {} : result.fieldErrors }), {
      status: 400,
    });
  }
  return redirect(`/admin/agencies/${result.id}?done=created`);
}

export default function NewAgency({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm<z.input<typeof agencySchema>>({
    id: "agency",
    lastResult: actionData,
    constraint: getZodConstraint(agencySchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/agencies" className="govuk-back-link">
          Back to agencies
        </a>
        <ErrorSummary
          form={form}
          fields={[
            fields.name,
            fields.short_name,
            fields.type,
            fields.on_cost_pct,
            fields.overhead_pct,
            fields.mileage_pence,
          ]}
        />
        <h1 className="govuk-heading-l">Add an agency</h1>
        <Form method="post" {...getFormProps(form)}>
          <AgencyFields fields={fields} defaults={loaderData.defaults} />
          <SubmitButton>Add agency</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
