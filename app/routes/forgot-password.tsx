import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form } from "react-router";
import { RESET_REQUESTED_MESSAGE } from "~/auth/link-messages";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { forgotPasswordSchema } from "~/auth/schemas";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import { appUrl } from "~/mail/mailer.server";
import type { Route } from "./+types/forgot-password";

export const meta: Route.MetaFunction = () => [{ title: "Reset your password – Boardledger" }];

export function loader() {
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: forgotPasswordSchema });
  if (submission.status !== "success")
    return data({ sent: false as const, result: submission.reply() }, { status: 400 });
  // The same answer whether or not the account exists, and whether or not the limit was reached.
  await requestPasswordReset(await database(), { email: submission.value.email, baseUrl: appUrl(request) });
  return { sent: true as const, message: RESET_REQUESTED_MESSAGE };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData?.sent === false ? actionData.result : undefined,
    constraint: getZodConstraint(forgotPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
    shouldValidate: "onSubmit",
  });
  if (actionData?.sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Check your email</h1>
          <p className="govuk-body">{actionData.message}.</p>
          <p className="govuk-body">
            The link works once, for 1 hour. If nothing arrives in a few minutes, check your spam or junk
            folder.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/sign-in">
              Back to sign in
            </a>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.email]} />
        <h1 className="govuk-heading-l">Reset your password</h1>
        <p className="govuk-body">
          Enter the email address you sign in with. We will email you a link to choose a new password.
        </p>
        <Form method="post" {...getFormProps(form)}>
          <TextField
            field={fields.email}
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
          />
          <SubmitButton>Send me a link</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
