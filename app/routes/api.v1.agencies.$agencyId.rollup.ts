import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { agencyRollupJson } from "~/api/rollup-resources.server";

// GET /api/v1/agencies/{agencyId}/rollup (app/api/endpoints.ts).
const route = apiRoute(endpoints.getAgencyRollup, ({ viewer, params, query }) =>
  agencyRollupJson(viewer, params.agencyId, query),
);

// Plain exports: the React Router build cannot strip destructured ones from the client bundle.
export const loader = route.loader;
export const action = route.action;
