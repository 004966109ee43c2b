import { createContext, type MiddlewareFunction } from "react-router";
import { annotateRequest, loggablePath } from "./observability.server";
import { runWithRequestContext } from "./request-context.server";

/*
 * Two protections for every request, applied by the root route's middleware:
 *
 * CSRF: a state-changing request (anything but GET/HEAD/OPTIONS) must come from this site.
 * Browsers send Sec-Fetch-Site and Origin on cross-site posts; we refuse "cross-site" and
 * any Origin whose host differs from ours. API requests carrying a bearer token are exempt:
 * a browser never attaches those on its own. Combined with SameSite=Lax cookies and no
 * state change on GET.
 *
 * Security headers: a strict Content-Security-Policy with a fresh nonce per response for
 * the framework's inline scripts, and the usual hardening headers; HSTS in production.
 */

export const nonceContext = createContext<string>("");

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.headers.get("Authorization")?.startsWith("Bearer ")) return false;
  const fetchSite = request.headers.get("Sec-Fetch-Site");
  if (fetchSite === "cross-site") return true;
  const origin = request.headers.get("Origin");
  if (origin === null) {
    // Old browsers and non-browser clients send neither header: Sec-Fetch-Site alone decides.
    return fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none";
  }
  if (origin === "null") return true;
  const requestHost =
    request.headers.get("X-Forwarded-Host") ?? request.headers.get("Host") ?? new URL(request.url).host;
  try {
    return new URL(origin).host !== requestHost;
  } catch {
    return true;
  }
}

export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64");
}

export function securityHeaders(nonce: string): Record<string, string> {
  const isProduction = process.env.NODE_ENV === "production";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Vite's dev server talks to the page over a websocket.
    `connect-src 'self'${isProduction ? "" : " ws:"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  };
  if (isProduction) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

export const securityMiddleware: MiddlewareFunction<Response> = async (
  { request, context, pattern, params },
  next,
) => {
  // For the request's log line and metrics: which route answered (never the query string).
  const route = pattern.startsWith("/") ? pattern : `/${pattern}`;
  annotateRequest({ route, path: loggablePath(route, params) });
  const nonce = createNonce();
  context.set(nonceContext, nonce);
  let response: Response;
  if (isCrossSiteWrite(request)) {
    response = new Response("This form was sent from another site, so it was refused.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  } else {
    response = await runWithRequestContext(request, next);
  }
  for (const [name, value] of Object.entries(securityHeaders(nonce))) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
};
