import { redirect } from "react-router";
import { navigationFor } from "../auth/authorise.server";
import { getViewer } from "../auth/viewer.server";
import type { Route } from "./+types/_index";

/** The start page sends people where they work: their boards, else their actions, else sign in. */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  if (!viewer) throw redirect("/sign-in");
  const seesBoards = navigationFor(viewer).some((item) => item.href === "/boards");
  throw redirect(seesBoards ? "/boards" : "/actions");
}

export default function Index() {
  return null;
}
