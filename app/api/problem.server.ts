import type { z } from "zod";
import type { FieldErrorSchema, Problem } from "./schemas";

/*
 * Errors as RFC 9457 problem details (application/problem+json). Plain HTTP errors use the
 * "about:blank" type with the status's own title; Boardledger's own kinds have a type of
 * their own, explained in docs/api.md. `instance` is the path that was asked for. Nothing
 * about the server's insides ever goes in one: a 500 says only that it happened, with an
 * id that the server's log also records.
 */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const JSON_CONTENT_TYPE = "application/json";

export type FieldError = z.infer<typeof FieldErrorSchema>;

/** Boardledger's own kinds of problem; the rest are "about:blank". */
export const PROBLEM_TYPES = {
  validation: "/api/v1/problems/validation",
  versionConflict: "/api/v1/problems/version-conflict",
  insufficientScope: "/api/v1/problems/insufficient-scope",
  invalidToken: "/api/v1/problems/invalid-token",
  rateLimited: "/api/v1/problems/rate-limited",
} as const;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export interface ProblemInit {
  status: number;
  detail: string;
  type?: string;
  title?: string;
  errors?: FieldError[];
  extensions?: Pick<Problem, "current_version" | "current_status" | "error_id">;
  headers?: Record<string, string>;
}

export function problemResponse(request: Request, init: ProblemInit): Response {
  const body: Problem = {
    type: init.type ?? "about:blank",
    title: init.title ?? TITLES[init.status] ?? "Error",
    status: init.status,
    detail: init.detail,
    instance: new URL(request.url).pathname,
    ...(init.errors ? { errors: init.errors } : {}),
    ...init.extensions,
  };
  return new Response(JSON.stringify(body), {
    status: init.status,
    headers: {
      "Content-Type": PROBLEM_CONTENT_TYPE,
      "Cache-Control": "no-store",
      ...init.headers,
    },
  });
}

export function notFoundProblem(request: Request): Response {
  return problemResponse(request, {
    status: 404,
    detail: "There is nothing at this address that this token may see.",
  });
}

export function methodNotAllowed(request: Request, allowed: readonly string[]): Response {
  return problemResponse(request, {
    status: 405,
    detail: `${request.method} is not allowed here; use ${allowed.join(" or ")}.`,
    headers: { Allow: allowed.join(", ") },
  });
}

export function validationProblem(request: Request, errors: FieldError[]): Response {
  const fields = [...new Set(errors.map((e) => e.field))];
  return problemResponse(request, {
    status: 422,
    type: PROBLEM_TYPES.validation,
    title: "Your request has errors",
    detail: `Correct ${fields.length === 1 ? "this field" : "these fields"} and send it again: ${fields.join(", ")}.`,
    errors,
  });
}

/** A zod error as field errors, in the request part it came from. */
export function fieldErrorsOf(where: FieldError["in"], error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    // An unknown key is reported against that key, not against the object holding it.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const field = path.map(String).join(".") || "(request)";
      const message = issue.code === "unrecognized_keys" ? "This field is not recognised" : issue.message;
      errors.push({
        in: where,
        field,
        ...(where === "body"
          ? {
              pointer: `/${path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`,
            }
          : {}),
        message,
      });
    }
  }
  return errors;
}
