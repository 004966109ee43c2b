import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { REMINDER_FREQUENCY_LABELS, reminderFrequencySchema } from "~/actions/reminder-schemas";
import { reminderFrequencyOf, setReminderFrequency } from "~/actions/reminders.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import type { Route } from "./+types/account.reminders";

export const meta: Route.MetaFunction = () => [{ title: "Action reminders – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { frequency: await reminderFrequencyOf(viewer) };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseWithZod(await request.formData(), { schema: reminderFrequencySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await setReminderFrequency(viewer, submission.value.frequency, { ip: clientAddress(request) });
  return redirect("/account");
}

export default function Reminders({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm<z.input<typeof reminderFrequencySchema>>({
    lastResult: actionData,
    constraint: getZodConstraint(reminderFrequencySchema),
    defaultValue: { frequency: loaderData.frequency },
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/account" className="govuk-back-link">
          Back to your account
        </a>
        <ErrorSummary form={form} fields={[fields.frequency]} />
        <h1 className="govuk-heading-l">Action reminders</h1>
        <p className="govuk-body">
          For the actions you own, Boardledger reminds you seven days before each is due and on the first day
          it is overdue.
        </p>
        <Form method="post" {...getFormProps(form)}>
          <RadiosField
            field={fields.frequency}
            legend="How do you want to be reminded?"
            options={[
              {
                value: "each",
                label: REMINDER_FREQUENCY_LABELS.each,
                hint: "Sent at 7am on the day each reminder is due.",
              },
              {
                value: "weekly",
                label: REMINDER_FREQUENCY_LABELS.weekly,
                hint: "Every Monday at 7am: your overdue actions and those due in the week ahead, in one email.",
              },
            ]}
          />
          <SubmitButton>Save</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
