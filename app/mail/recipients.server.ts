import type { WorkspaceDb } from "../../db/tenancy";

/*
 * Who an email goes to. A person (a board member, an action's owner) is written to at the
 * address of their user account when they have one (it is the address they sign in with,
 * and their reminder preference belongs to it), else at the address on their person record.
 * Archived people and disabled accounts get nothing.
 */

export interface Recipient {
  name: string;
  email: string;
}

/** The address of each of these people who has one, by person id. */
export async function peopleAddresses(
  db: WorkspaceDb,
  personIds: readonly number[],
): Promise<Map<number, Recipient>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("people as p")
    .leftJoin("workspace_users as wu", "wu.person_id", "p.id")
    .leftJoin("users as u", (join) => join.onRef("u.id", "=", "wu.user_id").on("u.disabled_at", "is", null))
    .select(["p.id", "p.full_name", "p.email as person_email", "u.email as user_email"])
    .where("p.id", "in", [...new Set(personIds)])
    .where("p.archived_at", "is", null)
    .orderBy("p.id")
    .orderBy("u.id")
    .execute();
  const addresses = new Map<number, Recipient>();
  for (const row of rows) {
    const email = row.user_email ?? row.person_email;
    if (email && !addresses.has(Number(row.id)))
      addresses.set(Number(row.id), { name: row.full_name, email });
  }
  return addresses;
}

/** Users holding one of these roles on a board (not disabled), by email. */
export async function boardRoleHolders(
  db: WorkspaceDb,
  boardId: number,
  roles: readonly ("secretary" | "member")[],
): Promise<Recipient[]> {
  const rows = await db
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["u.name", "u.email"])
    .distinct()
    .where("g.board_id", "=", boardId)
    .where("g.role", "in", [...roles])
    .where("u.disabled_at", "is", null)
    .orderBy("u.email")
    .execute();
  return rows.map((r) => ({ name: r.name, email: r.email }));
}

/** The board's current members (by membership, on `date`) who have an address. */
export async function currentMembers(db: WorkspaceDb, boardId: number, date: string): Promise<Recipient[]> {
  const rows = await db
    .selectFrom("memberships")
    .select("person_id")
    .where("board_id", "=", boardId)
    .where("from_date", "<=", date)
    .where((eb) => eb.or([eb("to_date", "is", null), eb("to_date", ">=", date)]))
    .execute();
  const addresses = await peopleAddresses(
    db,
    rows.map((r) => Number(r.person_id)),
  );
  return [...addresses.values()];
}

/** One recipient per address (the first name seen), in address order. */
export function uniqueRecipients(recipients: readonly Recipient[]): Recipient[] {
  const byEmail = new Map<string, Recipient>();
  for (const r of recipients) {
    const email = r.email.trim().toLowerCase();
    if (!byEmail.has(email)) byEmail.set(email, { name: r.name, email });
  }
  return [...byEmail.values()].sort((a, b) => a.email.localeCompare(b.email));
}
