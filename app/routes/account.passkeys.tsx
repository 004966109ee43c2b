import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { AddPasskeyForm } from "~/auth/components/passkey-forms";
import {
  listPasskeys,
  registerPasskey,
  registrationOptions,
  relyingPartyFor,
  removePasskey,
  renamePasskey,
} from "~/auth/passkeys.server";
import { addPasskeySchema, removePasskeySchema, renamePasskeySchema } from "~/auth/security-schemas";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { database } from "~/db.server";
import { formatDate, formatDateTime } from "~/format";
import type { Route } from "./+types/account.passkeys";

export const meta: Route.MetaFunction = () => [{ title: "Passkeys – Boardledger" }];

const DONE = {
  added: "Passkey added",
  renamed: "Passkey renamed",
  removed: "Passkey removed",
} as const;

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const db = await database();
  const url = new URL(request.url);
  const passkeys = (await listPasskeys(db, viewer.user.id)).map((p) => ({
    ref: p.ref,
    name: p.name,
    added: formatDate(new Date(p.createdAt)),
    lastUsed: p.lastUsedAt ? formatDateTime(new Date(p.lastUsedAt)) : "Not used yet",
  }));
  const options = await registrationOptions(db, {
    user: viewer.user,
    sessionId: viewer.session.id,
    rp: relyingPartyFor(request),
  });
  const done = url.searchParams.get("done");
  return {
    passkeys,
    options,
    renaming: passkeys.find((p) => p.ref === url.searchParams.get("rename")) ?? null,
    removing: passkeys.find((p) => p.ref === url.searchParams.get("remove")) ?? null,
    done: done && done in DONE ? DONE[done as keyof typeof DONE] : null,
  };
}

interface ActionData {
  add: SubmissionResult<string[]> | null;
  rename: SubmissionResult<string[]> | null;
  removeError: string | null;
}

const reply = (partial: Partial<ActionData>) =>
  data<ActionData>({ add: null, rename: null, removeError: null, ...partial }, { status: 400 });

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const db = await database();
  const formData = await request.formData();
  const ip = clientAddress(request);
  const intent = formData.get("intent");

  if (intent === "add") {
    const submission = parseWithZod(formData, { schema: addPasskeySchema });
    if (submission.status !== "success")
      return reply({ add: submission.reply({ hideFields: ["credential"] }) });
    const result = await registerPasskey(db, {
      userId: viewer.user.id,
      sessionId: viewer.session.id,
      rp: relyingPartyFor(request),
      name: submission.value.name,
      response: submission.value.credential,
      ip,
    });
    if (result.kind === "refused") {
      return reply({ add: submission.reply({ formErrors: [result.message], hideFields: ["credential"] }) });
    }
    return redirect("/account/passkeys?done=added");
  }

  if (intent === "rename") {
    const submission = parseWithZod(formData, { schema: renamePasskeySchema });
    if (submission.status !== "success") return reply({ rename: submission.reply() });
    const result = await renamePasskey(db, { userId: viewer.user.id, ...submission.value, ip });
    if (!result.ok) return reply({ rename: submission.reply({ formErrors: [result.message] }) });
    return redirect("/account/passkeys?done=renamed");
  }

  if (intent === "remove") {
    const submission = parseWithZod(formData, { schema: removePasskeySchema });
    if (submission.status !== "success") return reply({ removeError: "That passkey could not be found" });
    const result = await removePasskey(db, { userId: viewer.user.id, ref: submission.value.ref, ip });
    if (!result.ok) return reply({ removeError: result.message });
    return redirect("/account/passkeys?done=removed");
  }

  // A hand-made post with no known intent: say so above the add form, the page's main form.
  return reply({
    add: parseWithZod(formData, { schema: addPasskeySchema }).reply({
      formErrors: ["Choose to add, rename or remove a passkey, then try again"],
      hideFields: ["credential"],
    }),
  });
}

type Passkey = Route.ComponentProps["loaderData"]["passkeys"][number];

function RenameForm({
  passkey,
  lastResult,
}: {
  passkey: Passkey;
  lastResult: SubmissionResult<string[]> | null;
}) {
  const [form, fields] = useForm<z.input<typeof renamePasskeySchema>>({
    lastResult,
    constraint: getZodConstraint(renamePasskeySchema),
    shouldValidate: "onSubmit",
    defaultValue: { name: passkey.name },
  });
  return (
    <section className="govuk-!-margin-bottom-8" aria-labelledby="rename-heading">
      <ErrorSummary form={form} fields={[fields.name]} />
      <h2 className="govuk-heading-m" id="rename-heading">
        Rename ‘{passkey.name}’
      </h2>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="ref" value={passkey.ref} />
        <TextField
          field={fields.name}
          label="New name"
          className="govuk-!-width-two-thirds"
          autoComplete="off"
        />
        <div className="govuk-button-group">
          <SubmitButton>Save name</SubmitButton>
          <a className="govuk-link" href="/account/passkeys">
            Cancel
          </a>
        </div>
      </Form>
    </section>
  );
}

function RemoveConfirmation({ passkey, error }: { passkey: Passkey; error: string | null }) {
  return (
    <section className="govuk-!-margin-bottom-8" aria-labelledby="remove-heading">
      <ErrorSummary form={{ errors: error ? [error] : [] }} fields={[]} />
      <h2 className="govuk-heading-m" id="remove-heading">
        Remove ‘{passkey.name}’?
      </h2>
      <div className="govuk-warning-text">
        <span className="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong className="govuk-warning-text__text">
          <span className="govuk-visually-hidden">Warning</span>
          You will not be able to sign in with this passkey any more. If you lost the device it is on, also
          sign out everywhere else from your account page.
        </strong>
      </div>
      <Form method="post">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="ref" value={passkey.ref} />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
            Remove passkey
          </button>
          <a className="govuk-link" href="/account/passkeys">
            Cancel
          </a>
        </div>
      </Form>
    </section>
  );
}

export default function AccountPasskeys({ loaderData, actionData }: Route.ComponentProps) {
  const { passkeys, options, renaming, removing, done } = loaderData;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done && !actionData ? (
          <div
            className="govuk-notification-banner govuk-notification-banner--success"
            role="alert"
            aria-labelledby="passkeys-banner-title"
            data-module="govuk-notification-banner"
          >
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title" id="passkeys-banner-title">
                Success
              </h2>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">{done}</p>
            </div>
          </div>
        ) : null}
        <h1 className="govuk-heading-l">Passkeys</h1>
        <p className="govuk-body">
          A passkey lets you confirm it is you when you sign in, using your fingerprint, face, device PIN or a
          security key instead of a code. A passkey only works on Boardledger’s real address, so it cannot be
          stolen by a fake copy of this site.
        </p>

        {removing ? <RemoveConfirmation passkey={removing} error={actionData?.removeError ?? null} /> : null}
        {renaming ? <RenameForm passkey={renaming} lastResult={actionData?.rename ?? null} /> : null}

        {passkeys.length === 0 ? (
          <p className="govuk-body">You have not added any passkeys.</p>
        ) : (
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Your passkeys</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Name
                </th>
                <th scope="col" className="govuk-table__header">
                  Added
                </th>
                <th scope="col" className="govuk-table__header">
                  Last used
                </th>
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {passkeys.map((p) => (
                <tr className="govuk-table__row" key={p.ref}>
                  <td className="govuk-table__cell">{p.name}</td>
                  <td className="govuk-table__cell">{p.added}</td>
                  <td className="govuk-table__cell">{p.lastUsed}</td>
                  <td className="govuk-table__cell">
                    <ul className="govuk-summary-list__actions-list">
                      <li className="govuk-summary-list__actions-list-item">
                        <a
                          className="govuk-link"
                          href={`/account/passkeys?rename=${encodeURIComponent(p.ref)}#rename-heading`}
                        >
                          Rename<span className="govuk-visually-hidden"> {p.name}</span>
                        </a>
                      </li>
                      <li className="govuk-summary-list__actions-list-item">
                        <a
                          className="govuk-link"
                          href={`/account/passkeys?remove=${encodeURIComponent(p.ref)}#remove-heading`}
                        >
                          Remove<span className="govuk-visually-hidden"> {p.name}</span>
                        </a>
                      </li>
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 className="govuk-heading-m">Add a passkey</h2>
        <p className="govuk-body">
          Passkeys need JavaScript and a browser that supports them, such as a recent Edge, Chrome, Safari or
          Firefox. Your browser will ask you to unlock your device or touch your security key.
        </p>
        <p className="govuk-body">
          If you cannot see an ‘Add a passkey’ button below, this browser cannot add one. You can use an{" "}
          <a className="govuk-link" href="/account/two-factor">
            authenticator app
          </a>{" "}
          instead.
        </p>
        <AddPasskeyForm options={options} lastResult={actionData?.add ?? null} intent="add" />

        <p className="govuk-body">
          <a className="govuk-link" href="/account">
            Back to your account
          </a>
        </p>
      </div>
    </div>
  );
}
