import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ApiTokenScope } from "../auth/api-token-schemas";
import { authenticateApiToken } from "../auth/api-tokens.server";
import { hitRateLimit, type RateLimitRule } from "../auth/rate-limit.server";
import type { Viewer } from "../auth/viewer.server";
import { database } from "../db.server";
import { currentRequestContext } from "../request-context.server";
import type { Endpoint } from "./endpoints";
import {
  type FieldError,
  fieldErrorsOf,
  JSON_CONTENT_TYPE,
  methodNotAllowed,
  notFoundProblem,
  PROBLEM_TYPES,
  type ProblemInit,
  problemResponse,
  validationProblem,
} from "./problem.server";

/*
 * Serving one endpoint of the JSON API (app/api/endpoints.ts), in this order:
 *
 *   method (405) → Accept (406) → bearer token (401) → rate limit per token (429) →
 *   token scope (403) → path (404) → query (422) → body type, size, JSON, fields
 *   (415, 413, 400, 422) → the handler → the response, parsed through its schema
 *
 * Only `Authorization: Bearer` authenticates: a session cookie is ignored, so a browser can
 * never be made to call the API (docs/decisions/040-api-auth.md). The token's Viewer is the
 * one the pages use, so `can.*`, boardScope and actionScope decide exactly as they do there.
 * A domain module's 404 (notFound) becomes a 404 problem; anything unexpected a 500 problem
 * that says nothing of the server's insides, logged with its id. Every check that can
 * refuse happens before the handler runs, so a refused request writes nothing.
 */

export const API_RATE_LIMIT: RateLimitRule = {
  limit: Number(process.env.API_RATE_LIMIT_PER_MINUTE) || 120,
  windowSeconds: 60,
};

const MAX_BODY_BYTES = 64 * 1024;
const REALM = 'Bearer realm="Boardledger API"';

/** A problem a handler answers with (a version conflict, say). */
export class ApiProblem extends Error {
  constructor(readonly init: ProblemInit) {
    super(init.detail);
    this.name = "ApiProblem";
  }
}

export interface HandlerContext<E extends Endpoint> {
  request: Request;
  viewer: Viewer;
  token: { id: number; scope: ApiTokenScope };
  params: z.output<E["params"]>;
  query: z.output<E["query"]>;
  body: E["body"] extends z.ZodType ? z.output<E["body"]> : undefined;
  /** Headers to add to the answer (Location, ETag). */
  headers: Headers;
}

type Handler<E extends Endpoint> = (context: HandlerContext<E>) => Promise<z.input<E["response"]["schema"]>>;

interface RouteArgs {
  request: Request;
  params: Record<string, string | undefined>;
}

/** The loader and action of an endpoint's route module (the action serves POST; both refuse other methods). */
export function apiRoute<E extends Endpoint>(endpoint: E, handler: Handler<E>) {
  const serve = (args: RouteArgs) => serveEndpoint(endpoint, handler, args);
  return { loader: serve, action: serve };
}

function acceptsJson(request: Request): boolean {
  const accept = request.headers.get("Accept");
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]?.trim().toLowerCase();
    const q = /;\s*q=([0-9.]+)/.exec(part)?.[1];
    if (q !== undefined && Number(q) === 0) return false;
    return (
      type === "*/*" ||
      type === "application/*" ||
      type === JSON_CONTENT_TYPE ||
      type === "application/problem+json"
    );
  });
}

const NUL_MESSAGE = "Remove the NUL character: text may not contain one";

/**
 * Fields holding a NUL character, which no PostgreSQL text can store: refused here, by
 * name, for every endpoint, rather than failing in a query (500) further down.
 */
function nulErrors(
  where: "query" | "body",
  value: unknown,
  path: readonly (string | number)[] = [],
): FieldError[] {
  if (typeof value === "string") {
    if (!value.includes("\u0000")) return [];
    const field = path.join(".");
    const pointer = `/${path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
    return [{ in: where, field, ...(where === "body" ? { pointer } : {}), message: NUL_MESSAGE }];
  }
  if (Array.isArray(value)) {
    // A repeated query parameter is one field, however many times it is repeated.
    if (where === "query")
      return value.some((v) => typeof v === "string" && v.includes("\u0000"))
        ? nulErrors(where, "\u0000", path)
        : [];
    return value.flatMap((item, index) => nulErrors(where, item, [...path, index]));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes("\u0000") ? nulErrors(where, key, [...path, key]) : []),
      ...nulErrors(where, item, [...path, key]),
    ]);
  }
  return [];
}

/** The raw query as the schema expects it: repeated parameters as lists where the schema has a list. */
function rawQuery(url: URL, schema: Endpoint["query"]): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    let field = schema.shape[key] as z.ZodType | undefined;
    if (field instanceof z.ZodOptional) field = field.unwrap() as z.ZodType;
    raw[key] = field instanceof z.ZodArray ? url.searchParams.getAll(key) : (url.searchParams.get(key) ?? "");
  }
  return raw;
}

async function readJsonBody(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== JSON_CONTENT_TYPE) {
    return {
      ok: false,
      response: problemResponse(request, {
        status: 415,
        detail: "Send the body as JSON, with Content-Type: application/json.",
        headers: { "Accept-Post": JSON_CONTENT_TYPE },
      }),
    };
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const tooLarge = () =>
    problemResponse(request, {
      status: 413,
      detail: `The body may be ${MAX_BODY_BYTES / 1024} KB at most.`,
    });
  if (declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return {
      ok: false,
      response: problemResponse(request, { status: 400, detail: "The body is not valid JSON." }),
    };
  }
}

function unauthorised(request: Request, detail: string, invalid: boolean): Response {
  return problemResponse(request, {
    status: 401,
    ...(invalid ? { type: PROBLEM_TYPES.invalidToken } : {}),
    detail,
    headers: {
      "WWW-Authenticate": invalid
        ? `${REALM}, error="invalid_token", error_description="The token is not valid, or has expired or been revoked"`
        : REALM,
    },
  });
}

async function serveEndpoint<E extends Endpoint>(
  endpoint: E,
  handler: Handler<E>,
  { request, params }: RouteArgs,
): Promise<Response> {
  const allowed = endpoint.method === "GET" ? ["GET", "HEAD"] : [endpoint.method];
  if (request.method === "OPTIONS")
    return new Response(null, { status: 204, headers: { Allow: allowed.join(", ") } });
  if (!allowed.includes(request.method)) return methodNotAllowed(request, allowed);
  if (!acceptsJson(request)) {
    return problemResponse(request, {
      status: 406,
      detail: "This API answers only in JSON: accept application/json.",
    });
  }

  try {
    // ── Who is asking ──
    const authorization = request.headers.get("Authorization");
    if (!authorization) {
      return unauthorised(request, "Send a personal access token: Authorization: Bearer <token>.", false);
    }
    const bearer = /^Bearer +(\S+)$/i.exec(authorization.trim())?.[1];
    if (!bearer) return unauthorised(request, "Send the token as Authorization: Bearer <token>.", true);
    const root = await database();
    const authentication = await authenticateApiToken(root, bearer);
    if (!authentication.ok) {
      return unauthorised(request, "The token is not valid, or has expired or been revoked.", true);
    }
    const { viewer, token } = authentication;

    const limit = await hitRateLimit(root, `api-token:${token.id}`, API_RATE_LIMIT);
    const rateHeaders = {
      "RateLimit-Limit": String(limit.limit),
      "RateLimit-Remaining": String(limit.remaining),
      "RateLimit-Reset": String(limit.retryAfterSeconds),
    };
    if (!limit.allowed) {
      return problemResponse(request, {
        status: 429,
        type: PROBLEM_TYPES.rateLimited,
        detail: `This token may make ${limit.limit} requests a minute. Try again in ${limit.retryAfterSeconds} seconds.`,
        headers: { ...rateHeaders, "Retry-After": String(limit.retryAfterSeconds) },
      });
    }
    if (endpoint.scope === "write" && token.scope !== "write") {
      return problemResponse(request, {
        status: 403,
        type: PROBLEM_TYPES.insufficientScope,
        detail: "This token may only read. Make a read and write token to change anything.",
        headers: {
          ...rateHeaders,
          "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="write"`,
        },
      });
    }
    rememberViewer(viewer);

    // ── What is asked ──
    const parsedParams = endpoint.params.safeParse(params);
    if (!parsedParams.success) return withHeaders(notFoundProblem(request), rateHeaders);
    const url = new URL(request.url);
    const query = rawQuery(url, endpoint.query);
    const parsedQuery = endpoint.query.safeParse(query);
    const errors: FieldError[] = [
      ...nulErrors("query", query),
      ...(parsedQuery.success ? [] : fieldErrorsOf("query", parsedQuery.error)),
    ];
    let body: unknown;
    if (endpoint.body) {
      const json = await readJsonBody(request);
      if (!json.ok) return withHeaders(json.response, rateHeaders);
      errors.push(...nulErrors("body", json.value));
      const parsedBody = endpoint.body.safeParse(json.value);
      if (parsedBody.success) body = parsedBody.data;
      else errors.push(...fieldErrorsOf("body", parsedBody.error));
    }
    if (errors.length > 0 || !parsedQuery.success) {
      return withHeaders(validationProblem(request, errors), rateHeaders);
    }

    // ── The answer ──
    const headers = new Headers(rateHeaders);
    const result = await handler({
      request,
      viewer,
      token,
      params: parsedParams.data as z.output<E["params"]>,
      query: parsedQuery.data as z.output<E["query"]>,
      body: body as HandlerContext<E>["body"],
      headers,
    });
    const shaped = endpoint.response.schema.safeParse(result);
    if (!shaped.success) {
      throw new Error(`${endpoint.operationId} answered outside its schema: ${shaped.error.message}`);
    }
    headers.set("Content-Type", JSON_CONTENT_TYPE);
    headers.set("Cache-Control", "no-store");
    headers.set("Vary", "Authorization");
    return new Response(request.method === "HEAD" ? null : JSON.stringify(shaped.data), {
      status: endpoint.response.status,
      headers,
    });
  } catch (thrown) {
    return problemFor(request, thrown);
  }
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

function problemFor(request: Request, thrown: unknown): Response {
  if (thrown instanceof ApiProblem) return problemResponse(request, thrown.init);
  // notFound() and ensure() in the domain modules throw a 404 Response.
  if (thrown instanceof Response) {
    if (thrown.status === 404) return notFoundProblem(request);
    if (thrown.status >= 400 && thrown.status < 500) {
      return problemResponse(request, { status: thrown.status, detail: thrown.statusText || "Refused." });
    }
  }
  const errorId = randomUUID();
  console.error(`API error ${errorId} on ${request.method} ${new URL(request.url).pathname}:`, thrown);
  return problemResponse(request, {
    status: 500,
    detail:
      "Something went wrong on our side. Try again later, and quote the error_id if it keeps happening.",
    extensions: { error_id: errorId },
  });
}

/**
 * Lets a refusal further down (notFound) be written to the audit trail as the token's
 * user, as a page's refusal is (app/auth/authorise.server.ts reads the request context).
 */
function rememberViewer(viewer: Viewer): void {
  const context = currentRequestContext();
  if (!context) return;
  // A key no Cookie header can equal, so a page's own lookup never takes this viewer.
  context.viewerState = { cookie: "\0api-token", state: Promise.resolve({ kind: "signed-in", viewer }) };
}
