import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { changePassword } from "~/auth/account.server";
import { changePasswordSchema } from "~/auth/schemas";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/account.password";

export const meta: Route.MetaFunction = () => [{ title: "Change your password – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  await requireViewer(request);
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const submission = parseWithZod(await request.formData(), { schema: changePasswordSchema });
  const hidden = { hideFields: ["current", "password", "confirm"] };
  if (submission.status !== "success") return data(submission.reply(hidden), { status: 400 });
  const result = await changePassword(await database(), viewer, submission.value);
  if (!result.ok) {
    return data(submission.reply({ ...hidden, fieldErrors: { [result.field]: [result.message] } }), {
      status: 400,
    });
  }
  return redirect("/account");
}

export default function ChangePassword({ actionData }: Route.ComponentProps) {
  const [form, fields] = useForm<z.input<typeof changePasswordSchema>>({
    lastResult: actionData,
    constraint: getZodConstraint(changePasswordSchema),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.current, fields.password, fields.confirm]} />
        <h1 className="govuk-heading-l">Change your password</h1>
        <Form method="post" {...getFormProps(form)}>
          <TextField
            field={fields.current}
            label="Current password"
            type="password"
            autoComplete="current-password"
          />
          <TextField
            field={fields.password}
            label="New password"
            hint="At least 8 characters; 15 or more is better. A few unrelated words make a strong password."
            type="password"
            autoComplete="new-password"
          />
          <TextField
            field={fields.confirm}
            label="New password again"
            type="password"
            autoComplete="new-password"
          />
          <p className="govuk-body">Changing your password signs you out everywhere else.</p>
          <SubmitButton>Change password</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
