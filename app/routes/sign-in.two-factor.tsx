import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect, useActionData, useSearchParams } from "react-router";
import { safeRedirect, twoFactorSchema } from "~/auth/schemas";
import { clientAddress } from "~/auth/sign-in.server";
import { displayKey, enableTotp, newTotpKey, parseDisplayedKey, totpUri, verifySecondStep, verifyTotp } from "~/auth/two-factor.server";
import { loadViewerState } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/sign-in.two-factor";

export const meta: Route.MetaFunction = () => [{ title: "Confirm it is you – Boardledger" }];

async function pendingUser(request: Request) {
  const state = await loadViewerState(request);
  const back = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (state.kind === "signed-in") throw redirect(back);
  if (state.kind === "signed-out") throw redirect("/sign-in");
  const db = await database();
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "totp_key"])
    .where("id", "=", state.userId)
    .executeTakeFirstOrThrow();
  return { state, user, db };
}

export async function loader({ request }: Route.LoaderArgs) {
  const { user } = await pendingUser(request);
  if (user.totp_key) return { mode: "verify" as const };
  // Two-factor is required for this role but not yet set up: enrol now.
  const key = newTotpKey();
  return { mode: "enrol" as const, key: displayKey(key), uri: totpUri(key, user.email) };
}

export async function action({ request }: Route.ActionArgs) {
  const { state, user, db } = await pendingUser(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: twoFactorSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), recoveryCodes: null }, { status: 400 });
  const next = safeRedirect(submission.value.redirectTo);

  if (!user.totp_key) {
    const key = parseDisplayedKey(String(formData.get("key") ?? ""));
    if (!key || !verifyTotp(key, submission.value.code)) {
      return data(
        { result: submission.reply({ fieldErrors: { code: ["Enter the 6-digit code your authenticator app shows"] } }), recoveryCodes: null },
        { status: 400 },
      );
    }
    const recoveryCodes = await enableTotp(db, user.id, key, state.session.id);
    return { result: submission.reply({ resetForm: true }), recoveryCodes, next };
  }

  const outcome = await verifySecondStep(db, {
    userId: user.id,
    sessionId: state.session.id,
    code: submission.value.code,
    ip: clientAddress(request),
  });
  if (outcome.kind === "refused") {
    return data({ result: submission.reply({ fieldErrors: { code: [outcome.message] } }), recoveryCodes: null }, { status: 400 });
  }
  return redirect(next);
}

export default function TwoFactor({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const current = loaderData;
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(twoFactorSchema),
    shouldValidate: "onSubmit",
  });
  const redirectTo = searchParams.get("redirectTo") ?? "/";

  if (actionData?.recoveryCodes) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Save your recovery codes</h1>
          <p className="govuk-body">
            Each code lets you sign in once if you lose your authenticator app. Keep them somewhere safe: they will not be shown again.
          </p>
          <ul className="govuk-list govuk-!-font-family-tabular">
            {actionData.recoveryCodes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <a className="govuk-button" href={"next" in actionData ? actionData.next : "/"}>
            Continue
          </a>
        </div>
      </div>
    );
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.code]} />
        <h1 className="govuk-heading-l">{current.mode === "enrol" ? "Set up two-factor sign-in" : "Confirm it is you"}</h1>
        {current.mode === "enrol" ? (
          <>
            <p className="govuk-body">Your role needs a second step at sign-in. Add this key to an authenticator app, then enter the code it shows.</p>
            <p className="govuk-body">
              Key: <strong className="govuk-!-font-family-tabular">{current.key}</strong>
            </p>
            <p className="govuk-body govuk-!-font-size-16">
              <a className="govuk-link" href={current.uri}>
                Open in an authenticator app on this device
              </a>
            </p>
          </>
        ) : (
          <p className="govuk-body">Enter the code from your authenticator app, or one of your recovery codes.</p>
        )}
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          {current.mode === "enrol" ? <input type="hidden" name="key" value={current.key} /> : null}
          <TextField field={fields.code} label="Code" autoComplete="one-time-code" inputMode="numeric" className="govuk-input--width-10" spellCheck={false} />
          <SubmitButton>Continue</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
