import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { data, Form, redirect } from "react-router";
import type { z } from "zod";
import {
  API_TOKEN_SCOPE_LABELS,
  API_TOKEN_SCOPES,
  apiTokenSchema,
  DEFAULT_TOKEN_DAYS,
  revokeApiTokenSchema,
  TOKEN_DAY_CHOICES,
} from "~/auth/api-token-schemas";
import { createOwnApiToken, listOwnApiTokens, revokeOwnApiToken } from "~/auth/api-tokens.server";
import { clientAddress } from "~/auth/sign-in.server";
import { requireViewer } from "~/auth/viewer.server";
import { RadiosField } from "~/components/choice-fields";
import { DataTable, type DataTableColumn } from "~/components/data-table";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { Tag } from "~/components/tag";
import { formatDate, formatDateTime } from "~/format";
import type { Route } from "./+types/account.tokens";

/*
 * /account/tokens: the viewer's personal access tokens for the JSON API (docs/api.md) in
 * their current workspace: make one (shown once, here, and never again), see when each was
 * last used, revoke one (it stops working at once).
 */

export const meta: Route.MetaFunction = () => [{ title: "API tokens – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  const revoked = new URL(request.url).searchParams.get("done") === "revoked";
  return {
    workspaceName: viewer.workspace.name,
    tokens: await listOwnApiTokens(viewer),
    revoked,
  };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const formData = await request.formData();
  const meta = { ip: clientAddress(request) };
  if (formData.get("intent") === "revoke") {
    const submission = parseWithZod(formData, { schema: revokeApiTokenSchema });
    if (submission.status === "success") await revokeOwnApiToken(viewer, submission.value.tokenId, meta);
    return redirect("/account/tokens?done=revoked");
  }
  const submission = parseWithZod(formData, { schema: apiTokenSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), created: null }, { status: 400 });
  }
  const issued = await createOwnApiToken(viewer, submission.value, meta);
  return {
    result: submission.reply({ resetForm: true }),
    created: {
      name: submission.value.name,
      scope: submission.value.scope,
      token: issued.token,
      expiresAt: issued.expiresAt.toISOString(),
    },
  };
}

const constraint = getZodConstraint(apiTokenSchema);

type TokenRow = Awaited<ReturnType<typeof loader>>["tokens"][number];

const tokenColumns: DataTableColumn<TokenRow>[] = [
  { id: "name", header: "Name", rowHeader: true, cell: (token) => token.name },
  { id: "scope", header: "May", cell: (token) => API_TOKEN_SCOPE_LABELS[token.scope] },
  {
    id: "expires",
    header: "Expires",
    cell: (token) =>
      token.expired ? (
        <Tag colour="grey">Expired</Tag>
      ) : token.expiresAt ? (
        formatDate(token.expiresAt)
      ) : (
        "Never"
      ),
  },
  {
    id: "used",
    header: "Last used",
    cell: (token) => (token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Not used yet"),
  },
  {
    id: "revoke",
    header: "Revoke",
    cell: (token) => (
      <Form method="post">
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="tokenId" value={token.id} />
        <button type="submit" className="govuk-button govuk-button--warning govuk-!-margin-bottom-0">
          Revoke<span className="govuk-visually-hidden"> {token.name}</span>
        </button>
      </Form>
    ),
  },
];

export default function ApiTokens({ loaderData, actionData }: Route.ComponentProps) {
  const { tokens, workspaceName, revoked } = loaderData;
  const created = actionData?.created ?? null;
  const [form, fields] = useForm<z.input<typeof apiTokenSchema>>({
    id: "api-token",
    lastResult: actionData?.result,
    defaultValue: { scope: "read", expiresInDays: DEFAULT_TOKEN_DAYS },
    constraint,
    shouldValidate: "onSubmit",
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/account" className="govuk-back-link">
          Back to your account
        </a>
        <ErrorSummary form={form} fields={[fields.name, fields.scope, fields.expiresInDays]} />
        {created && (
          <div className="govuk-panel govuk-panel--confirmation" role="alert">
            <h2 className="govuk-panel__title">Token made: copy it now</h2>
            <div className="govuk-panel__body">
              <p className="govuk-body govuk-!-margin-bottom-2">
                “{created.name}”, {API_TOKEN_SCOPE_LABELS[created.scope].toLowerCase()}, until{" "}
                {formatDate(created.expiresAt)}. You will not see it again.
              </p>
              <code className="app-token" data-testid="new-token">
                {created.token}
              </code>
            </div>
          </div>
        )}
        {revoked && (
          <div className="govuk-notification-banner govuk-notification-banner--success" role="alert">
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title">Success</h2>
            </div>
            <div className="govuk-notification-banner__content">
              <p className="govuk-notification-banner__heading">Token revoked. It no longer works.</p>
            </div>
          </div>
        )}

        <h1 className="govuk-heading-l">API tokens</h1>
        <p className="govuk-body">
          A token lets another system, such as your agency’s case management system, read and update what you
          can in {workspaceName} through the Boardledger API. It sees exactly what you see. Keep it secret, as
          you would a password. How to use one is in the API guide (docs/api.md).
        </p>

        <DataTable
          caption="Your tokens"
          columns={tokenColumns}
          rows={tokens}
          rowKey={(token) => token.id}
          emptyMessage="You have no tokens."
        />

        <h2 className="govuk-heading-m">Make a token</h2>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="create" />
          <TextField
            field={fields.name}
            label="Name"
            hint="What will use it, so you know which to revoke, such as “Police case system”"
            spellCheck={false}
          />
          <RadiosField
            field={fields.scope}
            legend="What it may do"
            options={API_TOKEN_SCOPES.map((scope) => ({
              value: scope,
              label: API_TOKEN_SCOPE_LABELS[scope],
              hint:
                scope === "read"
                  ? "See boards, meetings and actions"
                  : "Also post progress updates and change actions’ status",
            }))}
          />
          <RadiosField
            field={fields.expiresInDays}
            legend="Expires after"
            options={TOKEN_DAY_CHOICES.map((days) => ({
              value: String(days),
              label: days === 366 ? "A year" : `${days} days`,
            }))}
          />
          <SubmitButton>Make token</SubmitButton>
        </Form>
      </div>
    </div>
  );
}
