import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import { INVALID_RESET_MESSAGE } from "~/auth/link-messages";
import { findPasswordReset, resetPassword } from "~/auth/password-reset.server";
import { newPasswordSchema } from "~/auth/schemas";
import { clientAddress } from "~/auth/sign-in.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/reset-password.$token";

export const meta: Route.MetaFunction = () => [{ title: "Choose a new password – Boardledger" }];

// The token is in the address: never send it on to another site, never keep the page in a cache.
export const headers: Route.HeadersFunction = () => ({
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
});

export async function loader({ params }: Route.LoaderArgs) {
  const view = await findPasswordReset(await database(), params.token);
  if (view.state === "invalid") return data({ state: "invalid" as const }, { status: 410 });
  return { state: "valid" as const, email: view.email };
}

export async function action({ request, params }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: newPasswordSchema });
  const hidden = { hideFields: ["password", "confirm"] };
  if (submission.status !== "success") {
    return data({ state: "form" as const, result: submission.reply(hidden) }, { status: 400 });
  }
  const result = await resetPassword(await database(), params.token, submission.value, {
    ip: clientAddress(request),
  });
  if (result.ok) return redirect("/reset-password/done");
  if (result.reason === "invalid") return data({ state: "invalid" as const }, { status: 410 });
  return data(
    {
      state: "form" as const,
      result: submission.reply({ ...hidden, fieldErrors: { [result.field]: [result.message] } }),
    },
    { status: 400 },
  );
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData?.state === "form" ? actionData.result : undefined,
    constraint: getZodConstraint(newPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newPasswordSchema }),
    shouldValidate: "onSubmit",
  });
  if (loaderData.state === "invalid" || actionData?.state === "invalid") {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{INVALID_RESET_MESSAGE}</h1>
          <p className="govuk-body">A link works once, for 1 hour after we send it.</p>
          <p className="govuk-body">
            <a className="govuk-link" href="/forgot-password">
              Ask for a new link
            </a>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.password, fields.confirm]} />
        <h1 className="govuk-heading-l">Choose a new password</h1>
        <Form method="post" {...getFormProps(form)}>
          {/* For password managers: the account's username. */}
          <input type="hidden" name="username" value={loaderData.email} autoComplete="username" />
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
          <p className="govuk-body">Changing your password signs you out everywhere.</p>
          <SubmitButton>Change password</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
