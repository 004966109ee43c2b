import { endpoints } from "~/api/endpoints";
import { apiRoute } from "~/api/handler.server";
import { postActionUpdate } from "~/api/resources.server";
import { clientAddress } from "~/auth/sign-in.server";

// POST /api/v1/actions/{actionId}/updates (app/api/endpoints.ts): a write token only.
export const { loader, action } = apiRoute(endpoints.postActionUpdate, ({ request, viewer, params, body }) =>
  postActionUpdate(viewer, params.actionId, body, { ip: clientAddress(request) }),
);
