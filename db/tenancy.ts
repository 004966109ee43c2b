import {
  AliasNode,
  BinaryOperationNode,
  ColumnNode,
  type DeleteQueryNode,
  IdentifierNode,
  type InsertQueryNode,
  type JoinNode,
  Kysely,
  type KyselyPlugin,
  OnNode,
  type OperationNode,
  OperationNodeTransformer,
  OperatorNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  ReferenceNode,
  type RootOperationNode,
  type SelectQueryNode,
  TableNode,
  type UnknownRow,
  type UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  WhereNode,
} from "kysely";
import type { Database } from "./schema";

/**
 * Tenant isolation in the data layer.
 *
 * Domain code never receives the raw Kysely handle. It receives a `WorkspaceDb`: the same
 * handle with the WorkspaceScopePlugin, which rewrites every query before it is compiled:
 *
 * - every workspace table in FROM, JOIN, UPDATE or DELETE gets `<table>.workspace_id = <id>`
 *   added to its WHERE or ON clause (sub-queries included), so a forgotten filter cannot
 *   leak another workspace's rows;
 * - an INSERT into a workspace table must carry this workspace's id, and an UPDATE may not
 *   move a row to another workspace; either mistake throws before anything is sent;
 * - a raw `sql` query must mention workspace_id, since the plugin cannot rewrite raw text.
 *
 * The database backs this up: composite foreign keys refuse a row that points into
 * another workspace.
 */

/** Tables whose rows belong to exactly one workspace (checked against the schema in tests). */
export const WORKSPACE_TABLES: ReadonlySet<string> = new Set([
  "agencies",
  "grades",
  "grade_rates",
  "people",
  "interests",
  "workspace_users",
  "role_grants",
  "invitations",
  "boards",
  "memberships",
  "meeting_series",
  "meetings",
  "agenda_items",
  "papers",
  "attendance",
  "declarations",
  "meeting_feedback",
  "meeting_rollups",
  "meeting_agency_rollups",
  "minutes",
  "minute_items",
  "minute_versions",
  "minute_comments",
  "decisions",
  "actions",
  "action_supporting_agencies",
  "action_updates",
  "action_reminders",
  "plans",
  "plan_priorities",
  "plan_objectives",
  "objective_actions",
  "audit_events",
  "api_tokens",
]);

const WORKSPACE_BRAND: unique symbol = Symbol("workspace-scoped");

/** A Kysely handle whose every query is confined to one workspace. */
export type WorkspaceDb = Kysely<Database> & { readonly [WORKSPACE_BRAND]: number };

export class TenancyError extends Error {
  override name = "TenancyError";
}

/** The only way to get a handle domain code may use. */
export function scopeToWorkspace(db: Kysely<Database>, workspaceId: number): WorkspaceDb {
  if (!Number.isSafeInteger(workspaceId) || workspaceId <= 0) {
    throw new TenancyError(`Not a workspace id: ${workspaceId}`);
  }
  const scoped = db.withPlugin(new WorkspaceScopePlugin(workspaceId));
  return Object.assign(scoped, { [WORKSPACE_BRAND]: workspaceId }) as WorkspaceDb;
}

export function workspaceIdOf(db: WorkspaceDb): number {
  return db[WORKSPACE_BRAND];
}

/**
 * Runs `work` in a transaction that stays scoped to the same workspace. (Kysely's own
 * `transaction()` keeps plugins, but not our brand; this keeps both.)
 */
export async function inTransaction<T>(db: WorkspaceDb, work: (trx: WorkspaceDb) => Promise<T>): Promise<T> {
  const workspaceId = workspaceIdOf(db);
  return db.transaction().execute((trx) => {
    const scopedTrx = Object.assign(trx, { [WORKSPACE_BRAND]: workspaceId }) as unknown as WorkspaceDb;
    return work(scopedTrx);
  });
}

export class WorkspaceScopePlugin implements KyselyPlugin {
  readonly #transformer: WorkspaceScopeTransformer;

  constructor(workspaceId: number) {
    this.#transformer = new WorkspaceScopeTransformer(workspaceId);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === "RawNode") {
      const text = args.node.sqlFragments.join(" ");
      if (!/workspace_id/i.test(text)) {
        throw new TenancyError("A raw query through a workspace handle must filter on workspace_id");
      }
      return args.node;
    }
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** A table reference's name as the query sees it (its alias, if any) and the real table. */
function tableOf(node: OperationNode): { table: string; name: string } | undefined {
  if (TableNode.is(node)) {
    const table = node.table.identifier.name;
    return { table, name: table };
  }
  if (AliasNode.is(node) && TableNode.is(node.node) && IdentifierNode.is(node.alias)) {
    return { table: node.node.table.identifier.name, name: node.alias.name };
  }
  return undefined;
}

class WorkspaceScopeTransformer extends OperationNodeTransformer {
  readonly #workspaceId: number;

  constructor(workspaceId: number) {
    super();
    this.#workspaceId = workspaceId;
  }

  #predicate(name: string): OperationNode {
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create("workspace_id"), TableNode.create(name)),
      OperatorNode.create("="),
      ValueNode.create(this.#workspaceId),
    );
  }

  #scopeWhere(where: WhereNode | undefined, tables: readonly OperationNode[]): WhereNode | undefined {
    let scoped = where;
    for (const node of tables) {
      const ref = tableOf(node);
      if (!ref || !WORKSPACE_TABLES.has(ref.table)) continue;
      const predicate = this.#predicate(ref.name);
      scoped = scoped ? WhereNode.cloneWithOperation(scoped, "And", predicate) : WhereNode.create(predicate);
    }
    return scoped;
  }

  #scopeJoins(joins: readonly JoinNode[] | undefined): readonly JoinNode[] | undefined {
    return joins?.map((join) => {
      const ref = tableOf(join.table);
      if (!ref || !WORKSPACE_TABLES.has(ref.table)) return join;
      const predicate = this.#predicate(ref.name);
      const on = join.on ? OnNode.cloneWithOperation(join.on, "And", predicate) : OnNode.create(predicate);
      return { ...join, on };
    });
  }

  protected override transformSelectQuery(node: SelectQueryNode): SelectQueryNode {
    const transformed = super.transformSelectQuery(node);
    return Object.freeze({
      ...transformed,
      where: this.#scopeWhere(transformed.where, transformed.from?.froms ?? []),
      joins: this.#scopeJoins(transformed.joins),
    });
  }

  protected override transformUpdateQuery(node: UpdateQueryNode): UpdateQueryNode {
    const transformed = super.transformUpdateQuery(node);
    if (
      transformed.updates?.some((u) => ColumnNode.is(u.column) && u.column.column.name === "workspace_id")
    ) {
      throw new TenancyError("A row may not be moved to another workspace");
    }
    const tables = [...(transformed.table ? [transformed.table] : []), ...(transformed.from?.froms ?? [])];
    return Object.freeze({
      ...transformed,
      where: this.#scopeWhere(transformed.where, tables),
      joins: this.#scopeJoins(transformed.joins),
    });
  }

  protected override transformDeleteQuery(node: DeleteQueryNode): DeleteQueryNode {
    const transformed = super.transformDeleteQuery(node);
    const tables = [...transformed.from.froms, ...(transformed.using?.tables ?? [])];
    return Object.freeze({
      ...transformed,
      where: this.#scopeWhere(transformed.where, tables),
      joins: this.#scopeJoins(transformed.joins),
    });
  }

  protected override transformInsertQuery(node: InsertQueryNode): InsertQueryNode {
    const transformed = super.transformInsertQuery(node);
    const table = transformed.into?.table.identifier.name;
    if (!table || !WORKSPACE_TABLES.has(table)) return transformed;
    const columns = transformed.columns?.map((c) => c.column.name) ?? [];
    const index = columns.indexOf("workspace_id");
    if (index < 0) throw new TenancyError(`Insert into ${table} without workspace_id`);
    const values = transformed.values;
    if (values && ValuesNode.is(values)) {
      for (const row of values.values) {
        const value = PrimitiveValueListNode.is(row)
          ? row.values[index]
          : ValueListNode.is(row)
            ? primitiveOf(row.values[index])
            : undefined;
        if (value !== this.#workspaceId) {
          throw new TenancyError(`Insert into ${table} for another workspace`);
        }
      }
    }
    return transformed;
  }
}

function primitiveOf(node: OperationNode | undefined): unknown {
  return node && ValueNode.is(node) ? node.value : undefined;
}

export function isWorkspaceDb(db: Kysely<Database>): db is WorkspaceDb {
  return db instanceof Kysely && WORKSPACE_BRAND in db;
}
