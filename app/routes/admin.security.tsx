import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import { can, ensure } from "~/auth/authorise.server";
import { securityPolicySchema } from "~/auth/security-schemas";
import { clientAddress } from "~/auth/sign-in.server";
import {
  privilegedWithoutTwoFactor,
  setTwoFactorRequired,
  twoFactorRequired,
} from "~/auth/two-factor-policy.server";
import { requireViewer } from "~/auth/viewer.server";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { database } from "~/db.server";
import type { Route } from "./+types/admin.security";

export const meta: Route.MetaFunction = () => [{ title: "Sign-in security – Boardledger" }];

const ROLE_LABEL = { admin: "Admin", leader: "Leader" } as const;

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const required = await twoFactorRequired(await database(), viewer.workspace.id);
  const without = await privilegedWithoutTwoFactor(viewer.db);
  return {
    required,
    without: without.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      roles: u.roles.map((r) => ROLE_LABEL[r]).join(" and "),
    })),
    viewerWithout: without.some((u) => u.id === viewer.user.id),
    saved: new URL(request.url).searchParams.get("saved") === "1",
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: securityPolicySchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  await setTwoFactorRequired(await database(), {
    workspaceId: viewer.workspace.id,
    actor: { userId: viewer.user.id, label: viewer.user.email, ip: clientAddress(request) },
    required: submission.value.requireTwoFactor,
  });
  return redirect("/admin/security?saved=1");
}

export default function AdminSecurity({ loaderData, actionData }: Route.ComponentProps) {
  const { required, without, viewerWithout, saved } = loaderData;
  const [form, fields] = useForm<z.input<typeof securityPolicySchema>>({
    lastResult: actionData?.result,
    constraint: getZodConstraint(securityPolicySchema),
    shouldValidate: "onSubmit",
  });
  const field = fields.requireTwoFactor;
  const count = without.length;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {saved && !actionData ? (
          <div
            className="govuk-notification-banner govuk-notification-banner--success"
            role="alert"
            aria-labelledby="security-banner-title"
            data-module="govuk-notification-banner"
          >
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title" id="security-banner-title">
                Success
              </h2>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">Sign-in security saved</p>
            </div>
          </div>
        ) : null}
        <ErrorSummary form={form} fields={[field]} />
        <h1 className="govuk-heading-l">Sign-in security</h1>

        <Form method="post" {...getFormProps(form)}>
          <div className="govuk-form-group">
            <fieldset className="govuk-fieldset" aria-describedby="two-factor-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h2 className="govuk-fieldset__heading">Two-factor sign-in</h2>
              </legend>
              <div id="two-factor-hint" className="govuk-hint">
                Admins and leaders can see salaries, sensitive board papers and everyone’s accounts. A second
                step at sign-in, ideally a passkey, stops someone who has only their password.
              </div>
              <div className="govuk-checkboxes" data-module="govuk-checkboxes">
                <div className="govuk-checkboxes__item">
                  <input
                    className="govuk-checkboxes__input"
                    id={field.id}
                    name={field.name}
                    type="checkbox"
                    value="on"
                    defaultChecked={required}
                    aria-describedby={`${field.id}-hint`}
                  />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor={field.id}>
                    Require two-factor sign-in for admins and leaders
                  </label>
                  <div id={`${field.id}-hint`} className="govuk-hint govuk-checkboxes__hint">
                    They will need a passkey or an authenticator app. Anyone who has not set one up is asked
                    to on their next page, before they can carry on.
                  </div>
                </div>
              </div>
            </fieldset>
          </div>
          {viewerWithout ? (
            <div className="govuk-inset-text">
              You have not set up two-factor sign-in yourself. If you turn this on, you will be asked to
              straight away.
            </div>
          ) : null}
          <SubmitButton>Save</SubmitButton>
        </Form>

        <h2 className="govuk-heading-m">Admins and leaders without two-factor sign-in</h2>
        {count === 0 ? (
          <p className="govuk-body">Every admin and leader has set up two-factor sign-in.</p>
        ) : (
          <>
            <p className="govuk-body">
              {count === 1 ? "1 admin or leader has" : `${count} admins and leaders have`} not set up a
              passkey or an authenticator app.
              {required ? " They will be asked to the next time they use Boardledger." : ""}
            </p>
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">
                Admins and leaders without two-factor sign-in
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Name
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Email address
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Role
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {without.map((u) => (
                  <tr className="govuk-table__row" key={u.id}>
                    <td className="govuk-table__cell">{u.name}</td>
                    <td className="govuk-table__cell">{u.email}</td>
                    <td className="govuk-table__cell">{u.roles}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
