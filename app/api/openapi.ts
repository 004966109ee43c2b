import { z } from "zod";
import { MAX_TOKEN_DAYS } from "../auth/api-token-schemas";
import { type Endpoint, endpoints } from "./endpoints";
import { PROBLEM_CONTENT_TYPE } from "./problem.server";
import { ProblemSchema } from "./schemas";

/*
 * The OpenAPI 3.1 document of the JSON API, written from the endpoint declarations and
 * their zod schemas (the same ones that validate requests and shape responses), so it
 * cannot drift from what the API does. Served at /api/v1/openapi.json.
 */

type JsonSchema = Record<string, unknown>;

const SCHEMA_REF = "#/components/schemas/";

/** Every schema with an id, as JSON Schema 2020-12, referring to each other as components. */
function components(io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `${SCHEMA_REF}${id}`,
  });
  const cleaned: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // Components are not documents of their own: no $schema, and a fragment $id is not allowed.
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    cleaned[id] = rest;
  }
  return cleaned;
}

function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id !== "string")
    throw new Error("An API request or response schema needs an id (.meta({ id }))");
  return id;
}

/** The ids a schema refers to, and those they refer to, and so on. */
function referenced(ids: Iterable<string>, all: Record<string, JsonSchema>): Set<string> {
  const found = new Set<string>();
  const visit = (id: string) => {
    if (found.has(id)) return;
    const schema = all[id];
    if (!schema) throw new Error(`No component schema "${id}"`);
    found.add(id);
    for (const match of JSON.stringify(schema).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      visit(match[1] as string);
    }
  };
  for (const id of ids) visit(id);
  return found;
}

/** One path or query parameter, from its zod field. */
function parameter(name: string, field: z.ZodType, where: "path" | "query"): JsonSchema {
  const {
    $schema: _schema,
    description,
    ...schema
  } = z.toJSONSchema(field, {
    target: "draft-2020-12",
    io: "input",
  }) as JsonSchema;
  const isArray = schema.type === "array";
  return {
    name,
    in: where,
    required: where === "path" || !field.safeParse(undefined).success,
    ...(description ? { description } : {}),
    schema,
    ...(isArray ? { style: "form", explode: true } : {}),
  };
}

const problem = (description: string, headers: JsonSchema = {}) => ({
  description,
  ...(Object.keys(headers).length > 0 ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `${SCHEMA_REF}${idOf(ProblemSchema)}` } } },
});

const header = (description: string, type: "string" | "integer" = "integer") => ({
  description,
  schema: { type },
});

const RATE_HEADERS = {
  "RateLimit-Limit": header("Requests this token may make a minute"),
  "RateLimit-Remaining": header("Requests left in this minute"),
  "RateLimit-Reset": header("Seconds until the minute ends"),
};

/** The problems an endpoint may answer, as reusable responses. */
const PROBLEM_RESPONSES: Record<number, JsonSchema> = {
  400: problem("The body is not valid JSON"),
  401: problem("No token, or one that is not valid, has expired or was revoked", {
    "WWW-Authenticate": header('Bearer, with error="invalid_token" for a bad token', "string"),
  }),
  403: problem("A read-only token asked to change something", {
    "WWW-Authenticate": header('Bearer error="insufficient_scope"', "string"),
  }),
  404: problem("It does not exist, or the token's user may not see it (the answer is the same)"),
  406: problem("The request does not accept JSON"),
  409: problem(
    "The record changed since it was read: nothing was written (current_version says what it is now)",
  ),
  413: problem("The body is too large"),
  415: problem("The body is not sent as application/json"),
  422: problem("A field or parameter is wrong: `errors` lists each, and nothing was written"),
  429: problem("Too many requests from this token in this minute", {
    "Retry-After": header("Seconds to wait"),
    ...RATE_HEADERS,
  }),
  500: problem("Something went wrong on the server (the error_id is in its log)"),
};

const ALWAYS = [401, 406, 429, 500] as const;

function operation(endpoint: Endpoint) {
  const parameters = [
    ...Object.entries(endpoint.params.shape).map(([name, field]) =>
      parameter(name, field as z.ZodType, "path"),
    ),
    ...Object.entries(endpoint.query.shape).map(([name, field]) =>
      parameter(name, field as z.ZodType, "query"),
    ),
  ];
  const statuses = [...new Set([...endpoint.problems, ...ALWAYS])].sort((a, b) => a - b);
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: `${endpoint.description}\n\nNeeds a ${endpoint.scope === "write" ? "read and write" : "read or a read and write"} token.`,
    tags: [endpoint.tag],
    "x-token-scope": endpoint.scope,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: `${SCHEMA_REF}${idOf(endpoint.body)}` } } },
          },
        }
      : {}),
    responses: {
      [String(endpoint.response.status)]: {
        description: endpoint.response.description,
        headers: RATE_HEADERS,
        content: {
          "application/json": { schema: { $ref: `${SCHEMA_REF}${idOf(endpoint.response.schema)}` } },
        },
      },
      ...Object.fromEntries(
        statuses.map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]),
      ),
    },
  };
}

export function openApiDocument() {
  const all: Endpoint[] = Object.values(endpoints);
  const requestComponents = components("input");
  const responseComponents = components("output");
  const requestIds = referenced(
    all.flatMap((e) => (e.body ? [idOf(e.body)] : [])),
    requestComponents,
  );
  const responseIds = referenced(
    [...all.map((e) => idOf(e.response.schema)), idOf(ProblemSchema)],
    responseComponents,
  );
  const schemas: Record<string, JsonSchema> = {};
  for (const id of [...responseIds].sort()) schemas[id] = responseComponents[id] as JsonSchema;
  for (const id of [...requestIds].sort()) schemas[id] = requestComponents[id] as JsonSchema;

  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of all) {
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method.toLowerCase()]: operation(endpoint) };
  }
  const usedProblems = [...new Set(all.flatMap((e) => [...e.problems, ...ALWAYS]))].sort((a, b) => a - b);

  return {
    openapi: "3.1.0",
    info: {
      title: "Boardledger API",
      version: "1.0.0",
      summary: "Boards, meetings, their costs and the shared action log, for partner agencies' own systems",
      description: [
        "Authenticate with a personal access token (made on your account page, or by an operator with `npm run cli -- create-token`) sent as `Authorization: Bearer blpat_…`. A token acts as its user in one workspace and sees exactly what that user sees on the pages; a read token cannot change anything. Session cookies are not accepted.",
        "Names are snake_case; ids are integers; money is integer pence in fields ending `_pence`; instants are ISO 8601 with London's offset; calendar dates are YYYY-MM-DD.",
        'Lists answer `{"data": [...], "next_cursor": ...}`: pass `next_cursor` back as `?cursor=` until it is null.',
        "Errors are RFC 9457 problem details (application/problem+json); a validation problem lists each field in `errors`.",
        `Each token may make a limited number of requests a minute (429 with Retry-After beyond it); tokens last at most ${MAX_TOKEN_DAYS} days.`,
      ].join("\n\n"),
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Boards", description: "The boards a user reads" },
      { name: "Meetings", description: "Meetings with their agenda, register and cost" },
      { name: "Actions", description: "The shared action log and progress updates" },
      { name: "Costs", description: "Cost rollups of boards and agencies, from the one cost model" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "blpat_ followed by 52 characters",
          description: "A personal access token; read tokens may only GET.",
        },
      },
      schemas,
      responses: Object.fromEntries(
        usedProblems.map((status) => [`Problem${status}`, PROBLEM_RESPONSES[status] as JsonSchema]),
      ),
    },
  };
}
