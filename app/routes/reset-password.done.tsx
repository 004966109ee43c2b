import type { Route } from "./+types/reset-password.done";

// Where a successful password reset lands (after a redirect, so reloading changes nothing).

export const meta: Route.MetaFunction = () => [{ title: "Your password has been changed – Boardledger" }];

export default function PasswordChanged() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">Your password has been changed</h1>
        </div>
        <p className="govuk-body">We have signed you out everywhere. Sign in with your new password.</p>
        <a className="govuk-button" data-module="govuk-button" href="/sign-in">
          Sign in
        </a>
      </div>
    </div>
  );
}
