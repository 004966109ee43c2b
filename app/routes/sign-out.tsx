import { redirect } from "react-router";
import { recordAudit } from "~/audit/audit.server";
import { clearedSessionCookie, invalidateSession } from "~/auth/sessions.server";
import { getViewer } from "~/auth/viewer.server";
import { database } from "~/db.server";
import type { Route } from "./+types/sign-out";

// Signing out changes state, so it is a POST only; a GET shows nothing and sends you home.
export async function loader() {
  return redirect("/");
}

export async function action({ request }: Route.ActionArgs) {
  const viewer = await getViewer(request);
  if (viewer) {
    await invalidateSession(await database(), viewer.session.id);
    await recordAudit(
      viewer.db,
      { userId: viewer.user.id, label: viewer.user.email },
      {
        event: "sign_out",
        entityType: "user",
        entityId: viewer.user.id,
      },
    );
  }
  return redirect("/sign-in", { headers: { "Set-Cookie": clearedSessionCookie() } });
}
