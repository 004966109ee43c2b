import type { RequestHandler } from "msw";

/** Default handlers for outbound HTTP (none yet: every outbound call must be mocked by its test). */
export const handlers: RequestHandler[] = [];
