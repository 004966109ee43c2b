import { Form, redirect } from "react-router";
import { recordAudit } from "~/audit/audit.server";
import { notFound } from "~/auth/authorise.server";
import { switchSessionWorkspace } from "~/auth/sessions.server";
import { requireViewer } from "~/auth/viewer.server";
import { database } from "~/db.server";
import type { Route } from "./+types/workspace";

/* A user may belong to several partnerships' workspaces and works in one at a time. */

export const meta: Route.MetaFunction = () => [{ title: "Switch workspace – Boardledger" }];

export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await requireViewer(request);
  return { current: viewer.workspace.id, workspaces: viewer.workspaces };
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await requireViewer(request);
  const chosen = Number((await request.formData()).get("workspaceId"));
  const target = viewer.workspaces.find((w) => w.id === chosen);
  if (!target) notFound();
  await switchSessionWorkspace(await database(), viewer.session.id, target.id);
  await recordAudit(
    viewer.db,
    { userId: viewer.user.id, label: viewer.user.email },
    {
      event: "workspace.switched",
      entityType: "workspace",
      entityId: target.id,
    },
  );
  return redirect("/");
}

export default function SwitchWorkspace({ loaderData }: Route.ComponentProps) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Switch workspace</h1>
        <p className="govuk-body">You belong to more than one partnership. Choose the one to work in.</p>
        <ul className="govuk-list">
          {loaderData.workspaces.map((w) => (
            <li key={w.id}>
              {w.id === loaderData.current ? (
                <p className="govuk-body">
                  <strong>{w.name}</strong> (current)
                </p>
              ) : (
                <Form method="post">
                  <input type="hidden" name="workspaceId" value={w.id} />
                  <button type="submit" className="govuk-button govuk-button--secondary">
                    Work in {w.name}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
