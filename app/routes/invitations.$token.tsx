import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import { acceptInvitation, findInvitation } from "~/auth/invitations.server";
import { INVALID_INVITATION_MESSAGE } from "~/auth/link-messages";
import { sessionCookie } from "~/auth/sessions.server";
import { clientAddress } from "~/auth/sign-in.server";
import { acceptInvitationSchema } from "~/auth/user-schemas";
import { loadViewerState } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import { formatDateTime } from "~/format";
import type { Route } from "./+types/invitations.$token";

export const meta: Route.MetaFunction = () => [{ title: "Accept your invitation – Boardledger" }];

// The token is in the address: never send it on to another site, never keep the page in a cache.
export const headers: Route.HeadersFunction = () => ({
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
});

type Mode = "register" | "sign-in" | "join" | "wrong-account";

export async function loader({ request, params }: Route.LoaderArgs) {
  const db = await database();
  const view = await findInvitation(db, params.token);
  if (view.state === "invalid") return data({ state: "invalid" as const }, { status: view.status });

  const here = `/invitations/${params.token}`;
  let mode: Mode = "register";
  let signedInAs: string | null = null;
  if (view.existingUserId !== null) {
    const state = await loadViewerState(request, db);
    if (state.kind === "needs-two-factor" && state.userId === view.existingUserId) {
      throw redirect(`/sign-in/two-factor?redirectTo=${encodeURIComponent(here)}`);
    }
    if (state.kind === "signed-in") {
      signedInAs = state.viewer.user.email;
      mode = state.viewer.user.id === view.existingUserId ? "join" : "wrong-account";
    } else {
      mode = "sign-in";
    }
  }
  return {
    state: "valid" as const,
    mode,
    signedInAs,
    signInHref: `/sign-in?redirectTo=${encodeURIComponent(here)}`,
    workspaceName: view.workspaceName,
    email: view.email,
    roleLabel: view.roleLabel,
    expires: formatDateTime(view.expiresAt),
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const db = await database();
  const formData = await request.formData();
  const meta = { ip: clientAddress(request), userAgent: request.headers.get("User-Agent") };
  const gone = (status: 404 | 410) => data({ state: "invalid" as const }, { status });

  if (formData.get("intent") === "join") {
    const state = await loadViewerState(request, db);
    if (state.kind !== "signed-in") {
      throw redirect(`/sign-in?redirectTo=${encodeURIComponent(`/invitations/${params.token}`)}`);
    }
    const { viewer } = state;
    const result = await acceptInvitation(
      db,
      params.token,
      {
        kind: "join",
        userId: viewer.user.id,
        email: viewer.user.email,
        sessionId: viewer.session.id,
        twoFactorVerified: viewer.session.twoFactorVerified,
      },
      meta,
    );
    if (result.ok)
      return redirect("/", { headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt) } });
    if (result.reason === "invalid") return gone(result.status);
    // Signed in as someone else: the page (reloaded) explains.
    return data({ state: "form" as const, result: undefined }, { status: 403 });
  }

  const submission = parseWithZod(formData, { schema: acceptInvitationSchema });
  const hidden = { hideFields: ["password", "confirm"] };
  if (submission.status !== "success") {
    return data({ state: "form" as const, result: submission.reply(hidden) }, { status: 400 });
  }
  const result = await acceptInvitation(db, params.token, { kind: "register", ...submission.value }, meta);
  if (result.ok)
    return redirect("/", { headers: { "Set-Cookie": sessionCookie(result.token, result.expiresAt) } });
  switch (result.reason) {
    case "invalid":
      return gone(result.status);
    case "field":
      return data(
        {
          state: "form" as const,
          result: submission.reply({ ...hidden, fieldErrors: { [result.field]: [result.message] } }),
        },
        { status: 400 },
      );
    case "account-exists":
    case "wrong-account":
      return data(
        {
          state: "form" as const,
          result: submission.reply({
            ...hidden,
            formErrors: [
              "There is already an account for this email address. Sign in to accept the invitation",
            ],
          }),
        },
        { status: 409 },
      );
  }
}

function Expired() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{INVALID_INVITATION_MESSAGE}</h1>
        <p className="govuk-body">Ask the person who invited you to send a new invitation.</p>
        <p className="govuk-body">
          If you have already accepted it,{" "}
          <a className="govuk-link" href="/sign-in">
            sign in
          </a>
          .
        </p>
      </div>
    </div>
  );
}

function RegisterForm({
  email,
  lastResult,
}: {
  email: string;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(acceptInvitationSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: acceptInvitationSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <>
      <ErrorSummary form={form} fields={[fields.name, fields.password, fields.confirm]} />
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="register" />
        {/* For password managers: the account's username. */}
        <input type="hidden" name="username" value={email} autoComplete="username" />
        <TextField field={fields.name} label="Full name" autoComplete="name" spellCheck={false} />
        <TextField
          field={fields.password}
          label="Create a password"
          hint="At least 8 characters; 15 or more is better. A few unrelated words make a strong password."
          type="password"
          autoComplete="new-password"
        />
        <TextField
          field={fields.confirm}
          label="Password again"
          type="password"
          autoComplete="new-password"
        />
        <SubmitButton>Accept and create account</SubmitButton>
      </Form>
    </>
  );
}

export default function AcceptInvitation({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.state === "invalid" || actionData?.state === "invalid") return <Expired />;
  const view = loaderData;
  const lastResult = actionData?.state === "form" ? actionData.result : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Join {view.workspaceName} on Boardledger</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Email address</dt>
            <dd className="govuk-summary-list__value">{view.email}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Role</dt>
            <dd className="govuk-summary-list__value">{view.roleLabel}</dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Invitation expires</dt>
            <dd className="govuk-summary-list__value">{view.expires}</dd>
          </div>
        </dl>
        {view.mode === "register" ? <RegisterForm email={view.email} lastResult={lastResult} /> : null}
        {view.mode === "sign-in" ? (
          <>
            <p className="govuk-body">You already have a Boardledger account with this email address.</p>
            <a className="govuk-button" data-module="govuk-button" href={view.signInHref}>
              Sign in to accept
            </a>
          </>
        ) : null}
        {view.mode === "join" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="join" />
            <p className="govuk-body">You are signed in as {view.signedInAs}.</p>
            <SubmitButton>Accept invitation</SubmitButton>
          </Form>
        ) : null}
        {view.mode === "wrong-account" ? (
          <div className="govuk-inset-text">
            This invitation is for {view.email}, but you are signed in as {view.signedInAs}. Sign out, then
            open the link in the invitation again.
          </div>
        ) : null}
      </div>
    </div>
  );
}
