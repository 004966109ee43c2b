import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import { can, ensure } from "~/auth/authorise.server";
import { createInvitation } from "~/auth/invitations.server";
import { roleScopeChoices } from "~/auth/role-grants.server";
import { clientAddress } from "~/auth/sign-in.server";
import { inviteSchema, ROLE_CHOICES } from "~/auth/user-schemas";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField, SelectField } from "~/components/choice-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { appUrl } from "~/mail/mailer.server";
import type { Route } from "./+types/admin.users.invite";

export const meta: Route.MetaFunction = () => [{ title: "Invite a person – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  return { choices: await roleScopeChoices(viewer.db), workspaceName: viewer.workspace.name };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const submission = parseWithZod(await request.formData(), { schema: inviteSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createInvitation(viewer, submission.value, {
    baseUrl: appUrl(request),
    ip: clientAddress(request),
  });
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: { [result.field]: [result.message] } }), { status: 400 });
  }
  return redirect(`/admin/users?invited=${encodeURIComponent(result.email)}`);
}

export default function InvitePerson({ loaderData, actionData }: Route.ComponentProps) {
  const { choices, workspaceName } = loaderData;
  const [form, fields] = useForm({
    lastResult: actionData,
    constraint: getZodConstraint(inviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/users" className="govuk-back-link">
          Back to users
        </a>
        <ErrorSummary form={form} fields={[fields.email, fields.role, fields.boardId, fields.agencyId]} />
        <h1 className="govuk-heading-l">Invite a person to {workspaceName}</h1>
        <p className="govuk-body">
          We will email them a link to set up their account. The link works once and for 7 days. If they
          already use Boardledger, they sign in with their account to accept.
        </p>
        <Form method="post" {...getFormProps(form)}>
          <TextField
            field={fields.email}
            label="Email address"
            type="email"
            autoComplete="off"
            spellCheck={false}
          />
          <RadiosField
            field={fields.role}
            legend="Role"
            options={ROLE_CHOICES.map((r) => ({ value: r.value, label: r.label, hint: r.hint }))}
          />
          <SelectField
            field={fields.boardId}
            label="Board"
            hint="For a secretary or member of a board"
            placeholder="Choose a board"
            options={choices.boards.map((b) => ({ value: String(b.id), label: b.name }))}
          />
          <SelectField
            field={fields.agencyId}
            label="Agency"
            hint="For a partner agency officer"
            placeholder="Choose an agency"
            options={choices.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
          />
          <SubmitButton>Send invitation</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
