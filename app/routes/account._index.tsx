import { Form, redirect } from "react-router";
import { REMINDER_FREQUENCY_LABELS } from "~/actions/reminder-schemas";
import { reminderFrequencyOf } from "~/actions/reminders.server";
import { accountOverview, endOwnSession } from "~/auth/account.server";
import { countPasskeys } from "~/auth/passkeys.server";
import { invalidateUserSessions } from "~/auth/sessions.server";
import { requireViewer } from "~/auth/viewer.server";
import { database } from "~/db.server";
import { formatDateTime } from "~/format";
import type { Route } from "./+types/account._index";

export const meta: Route.MetaFunction = () => [{ title: "Your account – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const db = await database();
  const overview = await accountOverview(db, viewer);
  return {
    name: viewer.user.name,
    email: viewer.user.email,
    ...overview,
    passkeys: await countPasskeys(db, viewer.user.id),
    reminders: REMINDER_FREQUENCY_LABELS[await reminderFrequencyOf(viewer)],
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const db = await database();
  const form = await request.formData();
  if (form.get("intent") === "end-others") {
    await invalidateUserSessions(db, viewer.user.id, viewer.session.id);
  } else if (form.get("intent") === "end-one") {
    await endOwnSession(db, viewer, String(form.get("ref") ?? ""));
  }
  return redirect("/account");
}

export default function Account({ loaderData }: Route.ComponentProps) {
  const { name, email, sessions, twoFactor, recoveryCodesLeft, passkeys, reminders } = loaderData;
  return (
    <>
      <h1 className="govuk-heading-l">Your account</h1>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Name</dt>
          <dd className="govuk-summary-list__value">{name}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Email address</dt>
          <dd className="govuk-summary-list__value">{email}</dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Password</dt>
          <dd className="govuk-summary-list__value">Set</dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href="/account/password">
              Change<span className="govuk-visually-hidden"> password</span>
            </a>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Two-factor sign-in</dt>
          <dd className="govuk-summary-list__value">
            {twoFactor ? `On (authenticator app; ${recoveryCodesLeft} recovery codes left)` : "Off"}
          </dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href="/account/two-factor">
              {twoFactor ? "Manage" : "Turn on"}
              <span className="govuk-visually-hidden"> two-factor sign-in</span>
            </a>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Passkeys</dt>
          <dd className="govuk-summary-list__value">
            {passkeys === 0 ? "None" : passkeys === 1 ? "1 passkey" : `${passkeys} passkeys`}
          </dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href="/account/passkeys">
              {passkeys === 0 ? "Add" : "Manage"}
              <span className="govuk-visually-hidden"> passkeys</span>
            </a>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Action reminders</dt>
          <dd className="govuk-summary-list__value">{reminders}</dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href="/account/reminders">
              Change<span className="govuk-visually-hidden"> how you are reminded about actions</span>
            </a>
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">API tokens</dt>
          <dd className="govuk-summary-list__value">For your agency’s own systems</dd>
          <dd className="govuk-summary-list__actions">
            <a className="govuk-link" href="/account/tokens">
              Manage<span className="govuk-visually-hidden"> API tokens</span>
            </a>
          </dd>
        </div>
      </dl>

      <h2 className="govuk-heading-m">Where you are signed in</h2>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Your active sessions</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Browser
            </th>
            <th scope="col" className="govuk-table__header">
              Signed in
            </th>
            <th scope="col" className="govuk-table__header">
              Last active
            </th>
            <th scope="col" className="govuk-table__header">
              <span className="govuk-visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {sessions.map((s) => (
            <tr className="govuk-table__row" key={s.ref}>
              <td className="govuk-table__cell">
                {s.userAgent ?? "Unknown browser"}
                {s.ip ? ` (${s.ip})` : ""}
              </td>
              <td className="govuk-table__cell">{formatDateTime(s.createdAt)}</td>
              <td className="govuk-table__cell">{formatDateTime(s.lastSeenAt)}</td>
              <td className="govuk-table__cell">
                {s.current ? (
                  <strong className="govuk-tag govuk-tag--green">This browser</strong>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="end-one" />
                    <input type="hidden" name="ref" value={s.ref} />
                    <button
                      type="submit"
                      className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    >
                      Sign out<span className="govuk-visually-hidden"> this session</span>
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length > 1 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-others" />
          <button type="submit" className="govuk-button govuk-button--warning">
            Sign out everywhere else
          </button>
        </Form>
      ) : null}
    </>
  );
}
