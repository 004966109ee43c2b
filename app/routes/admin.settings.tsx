import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { SuccessBanner } from "~/admin/components/success-banner";
import { penceToPoundsInput, settingsSchema } from "~/admin/schemas";
import { getSettings, updateSettings } from "~/admin/settings.server";
import { actorFor } from "~/admin/shared.server";
import { can, ensure } from "~/auth/authorise.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import type { Route } from "./+types/admin.settings";

export const meta: Route.MetaFunction = () => [{ title: "Workspace settings – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const saved = new URL(request.url).searchParams.get("done") === "saved";
  return { settings: await getSettings(viewer.db), workspaceName: viewer.workspace.name, saved };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: settingsSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await updateSettings(viewer.db, actorFor(viewer, request), submission.value);
  return redirect("/admin/settings?done=saved");
}

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const { settings, workspaceName, saved } = loaderData;
  const [form, fields] = useForm<z.input<typeof settingsSchema>>({
    id: "settings",
    lastResult: actionData,
    defaultValue: {
      annual_working_hours: String(settings.annual_working_hours),
      default_on_cost_pct: String(settings.default_on_cost_pct),
      default_overhead_pct: String(settings.default_overhead_pct),
      default_mileage_pence: String(settings.default_mileage_pence),
      review_cost_per_outcome_pence: penceToPoundsInput(settings.review_cost_per_outcome_pence),
      stop_information_share_pct: String(settings.stop_information_share_pct),
      review_attendance_share_pct: String(settings.review_attendance_share_pct),
    },
    constraint: getZodConstraint(settingsSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin" className="govuk-back-link">
          Back to admin
        </a>
        <ErrorSummary
          form={form}
          fields={[
            fields.annual_working_hours,
            fields.default_on_cost_pct,
            fields.default_overhead_pct,
            fields.default_mileage_pence,
            fields.review_cost_per_outcome_pence,
            fields.stop_information_share_pct,
            fields.review_attendance_share_pct,
          ]}
        />
        <SuccessBanner message={saved ? "Settings saved." : null} />
        <span className="govuk-caption-l">{workspaceName}</span>
        <h1 className="govuk-heading-l">Workspace settings</h1>
        <Form method="post" {...getFormProps(form)}>
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 className="govuk-fieldset__heading">Costing meetings</h2>
            </legend>
            <p className="govuk-body">
              An hour of someone's time costs their annual salary, plus on-cost and overhead, divided by the
              working hours in a year. An agency may set its own on-cost, overhead and mileage rate; these
              apply to the rest.
            </p>
            <TextField
              field={fields.annual_working_hours}
              label="Working hours in a year"
              hint="Usually 1,650 (37 hours a week, less leave and bank holidays)"
              className="govuk-input--width-5"
              inputMode="numeric"
            />
            <TextField
              field={fields.default_on_cost_pct}
              label="On-cost %"
              hint="Employer's National Insurance and pension on top of salary, for example 30"
              className="govuk-input--width-5"
              inputMode="decimal"
            />
            <TextField
              field={fields.default_overhead_pct}
              label="Overhead %"
              hint="Premises, management and support costs, for example 0 or 15"
              className="govuk-input--width-5"
              inputMode="decimal"
            />
            <TextField
              field={fields.default_mileage_pence}
              label="Mileage rate in pence a mile"
              hint="HMRC's approved rate is 45p"
              className="govuk-input--width-5"
              inputMode="numeric"
            />
          </fieldset>
          <fieldset className="govuk-fieldset">
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
              <h2 className="govuk-fieldset__heading">Is this meeting worth holding?</h2>
            </legend>
            <p className="govuk-body">Each held meeting gets a verdict. These thresholds decide it.</p>
            <TextField
              field={fields.review_cost_per_outcome_pence}
              label="Review a meeting whose cost per outcome is more than, in pounds"
              hint="Outcomes are decisions, actions raised and actions completed. For example, 750"
              className="govuk-input--width-10"
              inputMode="decimal"
            />
            <TextField
              field={fields.stop_information_share_pct}
              label="Consider stopping a meeting with no decisions or actions when this % of its items are for information"
              hint="For example, 60: it could have been a written update"
              className="govuk-input--width-4"
              inputMode="numeric"
            />
            <TextField
              field={fields.review_attendance_share_pct}
              label="Review a meeting when fewer than this % of those invited attend"
              hint="For example, 50"
              className="govuk-input--width-4"
              inputMode="numeric"
            />
          </fieldset>
          <SubmitButton>Save settings</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
