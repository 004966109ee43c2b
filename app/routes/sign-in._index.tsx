import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect, useActionData, useSearchParams } from "react-router";
import { safeRedirect, signInSchema } from "~/auth/schemas";
import { sessionCookie } from "~/auth/sessions.server";
import { clientAddress, signIn } from "~/auth/sign-in.server";
import { loadViewerState } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/sign-in._index";

export const meta: Route.MetaFunction = () => [{ title: "Sign in – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const state = await loadViewerState(request);
  const next = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (state.kind === "signed-in") throw redirect(next);
  // Password given, second step not yet (pages that treat that as signed out send people here).
  if (state.kind === "needs-two-factor")
    throw redirect(`/sign-in/two-factor?redirectTo=${encodeURIComponent(next)}`);
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: signInSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const result = await signIn(await database(), {
    email,
    password,
    ip: clientAddress(request),
    userAgent: request.headers.get("User-Agent") ?? undefined,
  });
  if (result.kind !== "signed-in") {
    return data(submission.reply({ formErrors: [result.message], hideFields: ["password"] }), {
      status: result.kind === "throttled" ? 429 : 400,
      headers:
        result.kind === "throttled" ? { "Retry-After": String(result.retryAfterMinutes * 60) } : undefined,
    });
  }
  const next = safeRedirect(redirectTo);
  const target = result.twoFactorPending
    ? `/sign-in/two-factor?redirectTo=${encodeURIComponent(next)}`
    : next;
  return redirect(target, { headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt) } });
}

export default function SignIn() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(signInSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.email, fields.password]} />
        <h1 className="govuk-heading-l">Sign in to Boardledger</h1>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
          <TextField
            field={fields.email}
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
          />
          <TextField
            field={fields.password}
            label="Password"
            type="password"
            autoComplete="current-password"
          />
          <SubmitButton>Sign in</SubmitButton>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href="/forgot-password">
            I have forgotten my password
          </a>
        </p>
      </div>
    </div>
  );
}
