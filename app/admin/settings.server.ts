import { inTransaction, type WorkspaceDb, workspaceIdOf } from "../../db/tenancy";
import { type AuditActor, recordAudit } from "../audit/audit.server";
import type { SettingsInput } from "./schemas";
import { changedFields } from "./shared.server";

/*
 * Workspace settings: the cost model's defaults and the verdict thresholds, held on the
 * workspace row. `workspaces` is not a workspace-scoped table (the tenancy plugin does not
 * filter it), so every query here names the row itself: the id of the handle's own
 * workspace, which the caller cannot get wrong.
 */

export interface WorkspaceSettings {
  annual_working_hours: number;
  default_on_cost_pct: number;
  default_overhead_pct: number;
  default_mileage_pence: number;
  review_cost_per_outcome_pence: number;
  stop_information_share_pct: number;
  review_attendance_share_pct: number;
}

const SETTINGS_COLUMNS = [
  "annual_working_hours",
  "default_on_cost_pct",
  "default_overhead_pct",
  "default_mileage_pence",
  "review_cost_per_outcome_pence",
  "stop_information_share_pct",
  "review_attendance_share_pct",
] as const satisfies readonly (keyof WorkspaceSettings)[];

export async function getSettings(db: WorkspaceDb): Promise<WorkspaceSettings> {
  const row = await db
    .selectFrom("workspaces")
    .select(SETTINGS_COLUMNS)
    .where("id", "=", workspaceIdOf(db))
    .executeTakeFirstOrThrow();
  return {
    annual_working_hours: Number(row.annual_working_hours),
    default_on_cost_pct: Number(row.default_on_cost_pct),
    default_overhead_pct: Number(row.default_overhead_pct),
    default_mileage_pence: Number(row.default_mileage_pence),
    review_cost_per_outcome_pence: Number(row.review_cost_per_outcome_pence),
    stop_information_share_pct: Number(row.stop_information_share_pct),
    review_attendance_share_pct: Number(row.review_attendance_share_pct),
  };
}

/** Saves the settings and audits what changed, in one transaction. */
export async function updateSettings(
  db: WorkspaceDb,
  actor: AuditActor,
  input: SettingsInput,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const workspaceId = workspaceIdOf(trx);
    const before = await trx
      .selectFrom("workspaces")
      .select(SETTINGS_COLUMNS)
      .where("id", "=", workspaceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changes = changedFields(
      Object.fromEntries(SETTINGS_COLUMNS.map((c) => [c, Number(before[c])])) as Record<
        keyof WorkspaceSettings,
        number
      >,
      input,
    );
    if (Object.keys(changes).length === 0) return;
    await trx
      .updateTable("workspaces")
      .set({ ...input, updated_at: new Date() })
      .where("id", "=", workspaceId)
      .execute();
    await recordAudit(trx, actor, {
      event: "workspace_settings.updated",
      entityType: "workspace",
      entityId: workspaceId,
      changes,
    });
  });
}
