import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { recordAudit } from "~/audit/audit.server";
import { twoFactorSchema } from "~/auth/schemas";
import {
  disableTotp,
  displayKey,
  enableTotp,
  newTotpKey,
  parseDisplayedKey,
  totpUri,
  verifyTotp,
} from "~/auth/two-factor.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/account.two-factor";

export const meta: Route.MetaFunction = () => [{ title: "Two-factor sign-in – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const user = await (await database())
    .selectFrom("users")
    .select("totp_key")
    .where("id", "=", viewer.user.id)
    .executeTakeFirstOrThrow();
  if (user.totp_key) return { enabled: true as const };
  const key = newTotpKey();
  return { enabled: false as const, key: displayKey(key), uri: totpUri(key, viewer.user.email) };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const db = await database();
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: twoFactorSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply(), recoveryCodes: null }, { status: 400 });
  const actor = { userId: viewer.user.id, label: viewer.user.email };
  const wrongCode = () =>
    data(
      {
        result: submission.reply({
          fieldErrors: { code: ["Enter the 6-digit code your authenticator app shows"] },
        }),
        recoveryCodes: null,
      },
      { status: 400 },
    );

  const user = await db
    .selectFrom("users")
    .select("totp_key")
    .where("id", "=", viewer.user.id)
    .executeTakeFirstOrThrow();
  if (formData.get("intent") === "disable") {
    if (!user.totp_key || !verifyTotp(new Uint8Array(user.totp_key), submission.value.code))
      return wrongCode();
    await disableTotp(db, viewer.user.id);
    await recordAudit(viewer.db, actor, {
      event: "two_factor.disabled",
      entityType: "user",
      entityId: viewer.user.id,
    });
    return redirect("/account");
  }
  const key = parseDisplayedKey(String(formData.get("key") ?? ""));
  if (!key || !verifyTotp(key, submission.value.code)) return wrongCode();
  const recoveryCodes = await enableTotp(db, viewer.user.id, key, viewer.session.id);
  await recordAudit(viewer.db, actor, {
    event: "two_factor.enabled",
    entityType: "user",
    entityId: viewer.user.id,
  });
  return { result: submission.reply({ resetForm: true }), recoveryCodes };
}

export default function AccountTwoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm<z.input<typeof twoFactorSchema>>({
    lastResult: actionData?.result,
    constraint: getZodConstraint(twoFactorSchema),
    shouldValidate: "onSubmit",
  });
  if (actionData?.recoveryCodes) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <div className="govuk-panel govuk-panel--confirmation">
            <h1 className="govuk-panel__title">Two-factor sign-in is on</h1>
          </div>
          <h2 className="govuk-heading-m">Save your recovery codes</h2>
          <p className="govuk-body">
            Each code signs you in once if you lose your authenticator app. They will not be shown again.
          </p>
          <ul className="govuk-list govuk-!-font-family-tabular">
            {actionData.recoveryCodes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <a className="govuk-button" href="/account">
            Back to your account
          </a>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} fields={[fields.code]} />
        <h1 className="govuk-heading-l">Two-factor sign-in</h1>
        {loaderData.enabled ? (
          <>
            <p className="govuk-body">
              Two-factor sign-in is on. To turn it off, enter a code from your authenticator app.
            </p>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="disable" />
              <TextField
                field={fields.code}
                label="Code"
                autoComplete="one-time-code"
                inputMode="numeric"
                className="govuk-input--width-10"
              />
              <button type="submit" className="govuk-button govuk-button--warning">
                Turn off two-factor sign-in
              </button>
            </Form>
          </>
        ) : (
          <>
            <p className="govuk-body">
              Add this key to an authenticator app on your phone, then enter the 6-digit code it shows.
            </p>
            <p className="govuk-body">
              Key: <strong className="govuk-!-font-family-tabular">{loaderData.key}</strong>
            </p>
            <p className="govuk-body govuk-!-font-size-16">
              <a className="govuk-link" href={loaderData.uri}>
                Open in an authenticator app on this device
              </a>
            </p>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="enable" />
              <input type="hidden" name="key" value={loaderData.key} />
              <TextField
                field={fields.code}
                label="Code"
                autoComplete="one-time-code"
                inputMode="numeric"
                className="govuk-input--width-10"
              />
              <SubmitButton>Turn on two-factor sign-in</SubmitButton>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
