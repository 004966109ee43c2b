import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect, useActionData, useSearchParams } from "react-router";
import type { z } from "zod";
import { AddPasskeyForm, UsePasskeyForm } from "~/auth/components/passkey-forms";
import {
  authenticateWithPasskey,
  authenticationOptions,
  registerPasskey,
  registrationOptions,
  relyingPartyFor,
} from "~/auth/passkeys.server";
import { safeRedirect, twoFactorSchema } from "~/auth/schemas";
import { enrolPasskeySchema, usePasskeySchema } from "~/auth/security-schemas";
import { clientAddress } from "~/auth/sign-in.server";
import {
  displayKey,
  enableTotp,
  newTotpKey,
  parseDisplayedKey,
  totpUri,
  verifySecondStep,
  verifyTotp,
} from "~/auth/two-factor.server";
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
    .select(["id", "email", "name", "totp_key"])
    .select((eb) =>
      eb
        .selectFrom("passkeys")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("passkeys.user_id", "=", "users.id")
        .as("passkeys"),
    )
    .where("id", "=", state.userId)
    .executeTakeFirstOrThrow();
  // Enrolment is only for someone with no second factor at all (required for their role).
  const enrolled = user.totp_key !== null || Number(user.passkeys ?? 0) > 0;
  return { state, user, db, enrolled };
}

export async function loader({ request }: Route.LoaderArgs) {
  const { state, user, db, enrolled } = await pendingUser(request);
  const rp = relyingPartyFor(request);
  if (enrolled) {
    const passkey =
      Number(user.passkeys ?? 0) > 0
        ? await authenticationOptions(db, { userId: user.id, sessionId: state.session.id, rp })
        : null;
    return { mode: "verify" as const, totp: user.totp_key !== null, passkey };
  }
  // Two-factor is required for this role but not yet set up: enrol now (a passkey, or an authenticator app).
  const key = newTotpKey();
  const passkey = await registrationOptions(db, { user, sessionId: state.session.id, rp });
  return { mode: "enrol" as const, key: displayKey(key), uri: totpUri(key, user.email), passkey };
}

/** Signing in with a passkey, or setting one up when two-factor is required but missing. */
async function passkeyAction(
  request: Request,
  formData: FormData,
  pending: Awaited<ReturnType<typeof pendingUser>>,
) {
  const { state, user, db, enrolled } = pending;
  const rp = relyingPartyFor(request);
  const ip = clientAddress(request);
  if (formData.get("intent") === "passkey") {
    const submission = parseWithZod(formData, { schema: usePasskeySchema });
    if (submission.status !== "success" || !enrolled) {
      return data(
        {
          result: null,
          passkey: null,
          recoveryCodes: null,
          passkeyError: "Your passkey was not used. Try again",
        },
        { status: 400 },
      );
    }
    const outcome = await authenticateWithPasskey(db, {
      userId: user.id,
      sessionId: state.session.id,
      rp,
      response: submission.value.credential,
      ip,
    });
    if (outcome.kind === "refused") {
      return data(
        { result: null, passkey: null, recoveryCodes: null, passkeyError: outcome.message },
        { status: 400 },
      );
    }
    return redirect(safeRedirect(submission.value.redirectTo));
  }
  const submission = parseWithZod(formData, { schema: enrolPasskeySchema });
  if (enrolled) throw redirect("/sign-in/two-factor");
  if (submission.status !== "success") {
    return data(
      {
        result: null,
        passkey: submission.reply({ hideFields: ["credential"] }),
        recoveryCodes: null,
        passkeyError: null,
      },
      { status: 400 },
    );
  }
  const outcome = await registerPasskey(db, {
    userId: user.id,
    sessionId: state.session.id,
    rp,
    name: submission.value.name,
    response: submission.value.credential,
    ip,
  });
  if (outcome.kind === "refused") {
    return data(
      {
        result: null,
        passkey: submission.reply({ formErrors: [outcome.message], hideFields: ["credential"] }),
        recoveryCodes: null,
        passkeyError: null,
      },
      { status: 400 },
    );
  }
  return redirect(safeRedirect(submission.value.redirectTo));
}

export async function action({ request }: Route.ActionArgs) {
  const pending = await pendingUser(request);
  const { state, user, db, enrolled } = pending;
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "passkey" || intent === "add-passkey") return passkeyAction(request, formData, pending);
  const submission = parseWithZod(formData, { schema: twoFactorSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply(), recoveryCodes: null }, { status: 400 });
  const next = safeRedirect(submission.value.redirectTo);

  if (!enrolled) {
    const key = parseDisplayedKey(String(formData.get("key") ?? ""));
    if (!key || !verifyTotp(key, submission.value.code)) {
      return data(
        {
          result: submission.reply({
            fieldErrors: { code: ["Enter the 6-digit code your authenticator app shows"] },
          }),
          recoveryCodes: null,
        },
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
    return data(
      { result: submission.reply({ fieldErrors: { code: [outcome.message] } }), recoveryCodes: null },
      { status: 400 },
    );
  }
  return redirect(next);
}

export default function TwoFactor({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const current = loaderData;
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<z.input<typeof twoFactorSchema>>({
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
            Each code lets you sign in once if you lose your authenticator app. Keep them somewhere safe: they
            will not be shown again.
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

  const passkeyError = actionData && "passkeyError" in actionData ? actionData.passkeyError : null;
  const totpForm = (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {current.mode === "enrol" ? <input type="hidden" name="key" value={current.key} /> : null}
      <TextField
        field={fields.code}
        label="Code"
        autoComplete="one-time-code"
        inputMode="numeric"
        className="govuk-input--width-10"
        spellCheck={false}
      />
      <SubmitButton>Continue</SubmitButton>
    </Form>
  );

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary
          form={{ errors: [...(form.errors ?? []), ...(passkeyError ? [passkeyError] : [])] }}
          fields={[fields.code]}
        />
        <h1 className="govuk-heading-l">
          {current.mode === "enrol" ? "Set up two-factor sign-in" : "Confirm it is you"}
        </h1>
        {current.mode === "enrol" ? (
          <>
            <p className="govuk-body">
              Your role needs a second step at sign-in. Set up a passkey or an authenticator app.
            </p>
            <h2 className="govuk-heading-m">Add a passkey (recommended)</h2>
            <p className="govuk-body">
              A passkey uses your fingerprint, face, device PIN or a security key, and cannot be stolen by a
              fake copy of this site. Passkeys need JavaScript and a browser that supports them: if you cannot
              see an ‘Add a passkey’ button, use an authenticator app instead.
            </p>
            <AddPasskeyForm
              options={current.passkey}
              lastResult={actionData && "passkey" in actionData ? actionData.passkey : null}
              intent="add-passkey"
              redirectTo={redirectTo}
            />
            <h2 className="govuk-heading-m">Or use an authenticator app</h2>
            <p className="govuk-body">Add this key to an authenticator app, then enter the code it shows.</p>
            <p className="govuk-body">
              Key: <strong className="govuk-!-font-family-tabular">{current.key}</strong>
            </p>
            <p className="govuk-body govuk-!-font-size-16">
              <a className="govuk-link" href={current.uri}>
                Open in an authenticator app on this device
              </a>
            </p>
            {totpForm}
          </>
        ) : (
          <>
            {current.passkey ? (
              <>
                <p className="govuk-body">
                  Use your passkey: your device will ask for your fingerprint, face, PIN or security key.
                </p>
                <UsePasskeyForm options={current.passkey} redirectTo={redirectTo} />
                <p className="govuk-body">
                  Passkeys need JavaScript and a browser that supports them.{" "}
                  {current.totp
                    ? "If you cannot see a ‘Use a passkey’ button, or your passkey is not with you, enter a code instead."
                    : "If you cannot see a ‘Use a passkey’ button, try a browser that supports passkeys. If you have lost your passkey, ask your workspace admin to reset your two-factor sign-in."}
                </p>
              </>
            ) : null}
            {current.totp ? (
              <>
                {current.passkey ? <h2 className="govuk-heading-m">Or enter a code</h2> : null}
                <p className="govuk-body">
                  Enter the code from your authenticator app, or one of your recovery codes.
                </p>
                {totpForm}
              </>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
