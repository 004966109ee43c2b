import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ReactNode } from "react";
import { data, Form } from "react-router";
import { can, ensure } from "~/auth/authorise.server";
import { pendingInvitations } from "~/auth/invitations.server";
import { roleScopeChoices, type ScopeChoices } from "~/auth/role-grants.server";
import { clientAddress } from "~/auth/sign-in.server";
import {
  disableUser,
  enableUser,
  endUserSessions,
  grantRole,
  listWorkspaceUsers,
  revokeRole,
} from "~/auth/user-admin.server";
import {
  grantRoleSchema,
  ROLE_CHOICES,
  revokeRoleSchema,
  USER_SORTS,
  userIntentSchema,
} from "~/auth/user-schemas";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField, SelectField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { SubmitButton } from "~/components/forms";
import { parseTableState } from "~/components/table-state";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import type { Route } from "./+types/admin.users._index";

export const meta: Route.MetaFunction = () => [{ title: "Users – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const url = new URL(request.url);
  const table = parseTableState(url.searchParams, {
    sortable: USER_SORTS,
    defaultSort: "name",
    firstDirection: { "last-sign-in": "desc" },
  });
  const [users, invitations, choices] = await Promise.all([
    listWorkspaceUsers(viewer, table),
    pendingInvitations(viewer.db),
    roleScopeChoices(viewer.db),
  ]);
  // Confirms an invitation just sent; only an address with an open invitation is echoed.
  const invited = url.searchParams.get("invited");
  return {
    table,
    total: users.total,
    choices,
    invitedNotice: invited && invitations.some((i) => i.email === invited) ? invited : null,
    users: users.rows.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      disabled: u.disabled,
      isViewer: u.isViewer,
      grants: u.grants,
      activeSessions: u.activeSessions,
      lastSignIn: u.lastSignInAt ? formatDateTime(u.lastSignInAt) : null,
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      roleLabel: i.roleLabel,
      invitedBy: i.invitedBy,
      sent: formatDate(i.createdAt),
      expires: formatDateTime(i.expiresAt),
    })),
  };
}

/** What an action answers: which user's form it was, and a notice or a refusal. */
export interface UserActionData {
  intent: string;
  userId: number | null;
  notice?: string;
  error?: string;
  result?: SubmissionResult<string[]>;
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  ensure(can.administer(viewer));
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const rawUserId = Number(formData.get("userId"));
  const userId = Number.isSafeInteger(rawUserId) && rawUserId > 0 ? rawUserId : null;
  const meta = { ip: clientAddress(request) };
  const answer = (body: UserActionData, status = 200) => data(body, { status });

  if (intent === "grant") {
    const submission = parseWithZod(formData, { schema: grantRoleSchema });
    if (submission.status !== "success") return answer({ intent, userId, result: submission.reply() }, 400);
    const change = await grantRole(viewer, submission.value, meta);
    if (!change.ok) {
      const result = submission.reply({ fieldErrors: { [change.field]: [change.message] } });
      return answer({ intent, userId, result }, 400);
    }
    return answer({ intent, userId, notice: change.message, result: submission.reply({ resetForm: true }) });
  }

  if (intent === "revoke") {
    const parsed = revokeRoleSchema.safeParse({
      intent,
      userId,
      grantId: Number(formData.get("grantId")),
    });
    if (!parsed.success) return answer({ intent, userId, error: "Choose a role to remove" }, 400);
    const change = await revokeRole(viewer, parsed.data, meta);
    return change.ok
      ? answer({ intent, userId, notice: change.message })
      : answer({ intent, userId, error: change.message }, 400);
  }

  const parsed = userIntentSchema.safeParse({ intent, userId });
  if (!parsed.success)
    return answer({ intent, userId, error: "Choose something to do from the list of users" }, 400);
  const run = { disable: disableUser, enable: enableUser, "end-sessions": endUserSessions }[
    parsed.data.intent
  ];
  const change = await run(viewer, parsed.data.userId, meta);
  return change.ok
    ? answer({ intent, userId, notice: change.message })
    : answer({ intent, userId, error: change.message }, 400);
}

type LoaderUser = Route.ComponentProps["loaderData"]["users"][number];

function SmallButton({
  intent,
  userId,
  children,
  warning,
  extra,
}: {
  intent: string;
  userId: number;
  children: ReactNode;
  warning?: boolean;
  extra?: Record<string, string>;
}) {
  return (
    <Form method="post" className="govuk-!-display-inline-block govuk-!-margin-right-2">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={`govuk-button ${warning ? "govuk-button--warning" : "govuk-button--secondary"} govuk-!-margin-bottom-1`}
        data-module="govuk-button"
        data-prevent-double-click="true"
      >
        {children}
      </button>
    </Form>
  );
}

function GrantRoleForm({
  user,
  choices,
  lastResult,
}: {
  user: LoaderUser;
  choices: ScopeChoices;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm({
    id: `grant-${user.id}`,
    lastResult,
    constraint: getZodConstraint(grantRoleSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantRoleSchema }),
    shouldValidate: "onSubmit",
  });
  const failed = lastResult?.status === "error";
  return (
    <details className="govuk-details govuk-!-margin-bottom-0" open={failed || undefined}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">
          Add a role<span className="govuk-visually-hidden"> for {user.name}</span>
        </span>
      </summary>
      <div className="govuk-details__text">
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="grant" />
          <input type="hidden" name="userId" value={user.id} />
          <RadiosField
            small
            field={fields.role}
            legend="Role"
            options={ROLE_CHOICES.map((r) => ({ value: r.value, label: r.label }))}
          />
          <SelectField
            field={fields.boardId}
            label="Board"
            hint="For a secretary or member"
            placeholder="Choose a board"
            options={choices.boards.map((b) => ({ value: String(b.id), label: b.name }))}
          />
          <SelectField
            field={fields.agencyId}
            label="Agency"
            hint="For a partner"
            placeholder="Choose an agency"
            options={choices.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
          />
          <SubmitButton secondary>
            Add role<span className="govuk-visually-hidden"> for {user.name}</span>
          </SubmitButton>
        </Form>
      </div>
    </details>
  );
}

type LoaderInvitation = Route.ComponentProps["loaderData"]["invitations"][number];

const INVITATION_COLUMNS: DataTableColumn<LoaderInvitation>[] = [
  { id: "email", header: "Email", cell: (i) => i.email, rowHeader: true },
  { id: "role", header: "Role", cell: (i) => i.roleLabel },
  { id: "sent", header: "Sent", cell: (i) => `${i.sent}${i.invitedBy ? ` by ${i.invitedBy}` : ""}` },
  { id: "expires", header: "Expires", cell: (i) => i.expires },
];

function userColumns(
  answer: UserActionData | undefined,
  choices: ScopeChoices,
): DataTableColumn<LoaderUser>[] {
  const mine = (user: LoaderUser) => answer?.userId === user.id;
  return [
    {
      id: "name",
      header: "Name",
      sortable: true,
      rowHeader: true,
      cell: (user) => (
        <span id={`user-${user.id}`}>
          {user.name}
          {user.isViewer ? <span className="govuk-hint govuk-!-margin-bottom-0">(you)</span> : null}
        </span>
      ),
    },
    { id: "email", header: "Email", sortable: true, cell: (user) => user.email },
    {
      id: "roles",
      header: "Roles",
      cell: (user) => (
        <>
          {user.grants.length === 0 ? <p className="govuk-body-s">No roles</p> : null}
          <ul className="govuk-list govuk-!-margin-bottom-1">
            {user.grants.map((grant) => (
              <li key={grant.id}>
                {grant.label}{" "}
                <SmallButton intent="revoke" userId={user.id} extra={{ grantId: String(grant.id) }}>
                  Remove
                  <span className="govuk-visually-hidden">
                    {" "}
                    {grant.label} from {user.name}
                  </span>
                </SmallButton>
              </li>
            ))}
          </ul>
          <GrantRoleForm
            user={user}
            choices={choices}
            lastResult={mine(user) && answer?.intent === "grant" ? answer.result : undefined}
          />
        </>
      ),
    },
    {
      id: "last-sign-in",
      header: "Last signed in",
      sortable: true,
      firstDirection: "desc",
      cell: (user) => user.lastSignIn ?? "Never",
    },
    {
      id: "status",
      header: "Status",
      sortable: true,
      cell: (user) => (
        <>
          {user.disabled ? <Tag colour="grey">Disabled</Tag> : <Tag colour="green">Active</Tag>}
          <p className="govuk-body-s govuk-!-margin-top-1">
            {user.activeSessions === 1 ? "1 session" : `${user.activeSessions} sessions`}
          </p>
        </>
      ),
    },
    {
      id: "actions",
      header: "Actions",
      cell: (user) => (
        <>
          {mine(user) && answer?.error ? (
            <p className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {answer.error}
            </p>
          ) : null}
          {user.disabled ? (
            <SmallButton intent="enable" userId={user.id}>
              Enable<span className="govuk-visually-hidden"> {user.name}’s account</span>
            </SmallButton>
          ) : user.isViewer ? null : (
            <SmallButton intent="disable" userId={user.id} warning>
              Disable<span className="govuk-visually-hidden"> {user.name}’s account</span>
            </SmallButton>
          )}
          <SmallButton intent="end-sessions" userId={user.id}>
            Sign out everywhere<span className="govuk-visually-hidden"> ({user.name})</span>
          </SmallButton>
        </>
      ),
    },
  ];
}

export default function Users({ loaderData, actionData }: Route.ComponentProps) {
  const { users, invitations, choices, table, total, invitedNotice } = loaderData;
  const answer = actionData as UserActionData | undefined;
  const grantErrors = answer?.intent === "grant" ? Object.values(answer.result?.error ?? {}).flat() : [];
  const problem = answer?.error ?? grantErrors.find((m): m is string => typeof m === "string");
  const notice = answer?.notice ?? (invitedNotice ? `We have sent an invitation to ${invitedNotice}` : null);
  return (
    <>
      {problem && answer ? (
        <div className="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="govuk-error-summary__title">There is a problem</h2>
          <div className="govuk-error-summary__body">
            <ul className="govuk-list govuk-error-summary__list">
              <li>
                <a href={answer.userId ? `#user-${answer.userId}` : "#users"}>{problem}</a>
              </li>
            </ul>
          </div>
        </div>
      ) : null}
      {notice && !problem ? (
        <div
          className="govuk-notification-banner govuk-notification-banner--success"
          role="alert"
          data-module="govuk-notification-banner"
        >
          <div className="govuk-notification-banner__header">
            <h2 className="govuk-notification-banner__title">Success</h2>
          </div>
          <div className="govuk-notification-banner__content">
            <p className="govuk-notification-banner__heading">{notice}</p>
          </div>
        </div>
      ) : null}

      <h1 className="govuk-heading-l">Users</h1>
      <p className="govuk-body">
        <a
          href="/admin/users/invite"
          className="govuk-button govuk-!-margin-bottom-0"
          data-module="govuk-button"
        >
          Invite a person
        </a>
      </p>

      <DataTable
        caption="People with an account in this workspace"
        columns={userColumns(answer, choices)}
        rows={users}
        rowKey={(user) => user.id}
        sort={{ sort: table.sort, dir: table.dir }}
        emptyMessage="No one has an account in this workspace yet."
        paging={{ page: table.page, pageSize: table.pageSize, total, itemsName: "users" }}
      />

      <h2 className="govuk-heading-m">Invitations waiting to be accepted</h2>
      <DataTable
        caption="Invitations waiting to be accepted"
        captionSize="hidden"
        columns={INVITATION_COLUMNS}
        rows={invitations}
        rowKey={(i) => i.id}
        emptyMessage="There are no open invitations."
      />
    </>
  );
}
