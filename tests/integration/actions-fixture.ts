import type { Insertable, Kysely } from "kysely";
import type { Viewer } from "../../app/auth/viewer.server";
import type { DatabaseHandle } from "../../db/client";
import type { ActionsTable, Database, Role } from "../../db/schema";
import { freshDatabase } from "../database";
import {
  insertAgency,
  insertBoard,
  insertMeeting,
  insertMembership,
  insertPerson,
  insertWorkspace,
  makeViewer,
  type TestGrant,
} from "../factories";
import { cookieFor } from "../routes";

/*
 * A small partnership for the action log's tests, "today" being 15 June 2026 in London.
 *
 *   boards   Alpha (the member and secretary sit on it), Bravo, Charlie
 *   agencies Police (the partner's), Probation, County Council (the member's), Fire (the secretary's)
 *
 *   action                              board    lead       supporting  class.     status       due
 *   alphaPolice  "Alpha police plan"    Alpha    Police                 OFFICIAL   open         20 Jun  amber
 *   bravoSecret  "Bravo covert …"       Bravo    Police                 SENSITIVE  in progress  10 Jun  red
 *   bravoSupport "Bravo probation …"    Bravo    Probation  Police      OFFICIAL   open          1 Aug  green
 *   bravoCouncil "Bravo sensitive …"    Bravo    Probation  Council     SENSITIVE  done         20 May  complete
 *   charlieCouncil "Charlie council …"  Charlie  Council                OFFICIAL   dropped       1 Jun  dropped
 *   alphaSecret  "Alpha sensitive …"    Alpha    Probation              SENSITIVE  open         14 Jun  red
 *   charlieFire  "Charlie fire …"       Charlie  Fire                   OFFICIAL   in progress   1 Jul  green
 *   foreign      (another workspace)
 *
 * So the partner (Police) sees alphaPolice, bravoSecret (restricted) and bravoSupport; the
 * member (Alpha, County Council) sees Alpha's two and the council's two (bravoCouncil
 * restricted); the secretary (Alpha, Fire) sees Alpha's two and charlieFire.
 */

export const NOW = new Date("2026-06-15T12:00:00Z");

export const SENSITIVE_TEXT = {
  bravoSecretTitle: "Bravo covert operation Nightjar",
  bravoSecretDescription: "Covert surveillance of the Nightjar group",
  bravoSecretUpdate: "Nightjar informant meeting arranged",
  bravoCouncilTitle: "Bravo sensitive council review of Nightjar",
  alphaSecretTitle: "Alpha sensitive probation risk case",
} as const;

export type FixtureRole = "admin" | "leader" | "secretary" | "member" | "partner" | "outsider";

export interface ActionsFixture {
  handle: DatabaseHandle;
  root: Kysely<Database>;
  ws: number;
  otherWs: number;
  boards: { alpha: number; bravo: number; charlie: number };
  agencies: { police: number; probation: number; council: number; fire: number };
  people: { priya: number; paul: number; cara: number; sam: number };
  actions: {
    alphaPolice: number;
    bravoSecret: number;
    bravoSupport: number;
    bravoCouncil: number;
    charlieCouncil: number;
    alphaSecret: number;
    charlieFire: number;
    foreign: number;
  };
  alphaMeeting: number;
  users: Record<FixtureRole, number>;
  viewers: Record<FixtureRole, Viewer>;
  /** Signed-in cookies; call `useDatabaseForTests(f.handle)` before using them with routes. */
  cookies: Record<FixtureRole, string>;
}

export async function actionsFixture(slug = "actions"): Promise<ActionsFixture> {
  const handle = await freshDatabase();
  const root = handle.db;
  const ws = (await insertWorkspace(root, { slug, name: `${slug} partnership` })).id;
  const otherWs = (await insertWorkspace(root, { slug: `${slug}-elsewhere`, name: "Elsewhere" })).id;

  const police = (await insertAgency(root, ws, { name: "Northshire Police", type: "police" })).id;
  const probation = (await insertAgency(root, ws, { name: "Probation Service", type: "probation" })).id;
  const council = (await insertAgency(root, ws, { name: "County Council", type: "local_authority" })).id;
  const fire = (await insertAgency(root, ws, { name: "Fire and Rescue", type: "fire" })).id;
  const foreignAgency = (await insertAgency(root, otherWs, { name: "Foreign Police", type: "police" })).id;

  const priya = (await insertPerson(root, ws, { full_name: "Priya Constable", agency_id: police })).id;
  const paul = (await insertPerson(root, ws, { full_name: "Paul Bishop", agency_id: probation })).id;
  const cara = (await insertPerson(root, ws, { full_name: "Cara Council", agency_id: council })).id;
  const sam = (await insertPerson(root, ws, { full_name: "Sam Secretary", agency_id: fire })).id;

  const alpha = (await insertBoard(root, ws, { name: "Alpha board", type: "lcjb" })).id;
  const bravo = (await insertBoard(root, ws, { name: "Bravo board", type: "csp" })).id;
  const charlie = (await insertBoard(root, ws, { name: "Charlie board", type: "other" })).id;
  const foreignBoard = (await insertBoard(root, otherWs, { name: "Foreign board" })).id;
  await insertMembership(root, ws, { board_id: alpha, person_id: cara, agency_id: council });
  await insertMembership(root, ws, { board_id: alpha, person_id: sam, agency_id: fire, role: "secretary" });
  const alphaMeeting = (
    await insertMeeting(root, ws, { board_id: alpha, starts_at: "2026-05-12T09:00:00Z", status: "held" })
  ).id;

  const action = async (
    workspaceId: number,
    values: Omit<Insertable<ActionsTable>, "workspace_id">,
    supporting: number[] = [],
  ) => {
    const closed = values.status === "done" || values.status === "dropped";
    const { id } = await root
      .insertInto("actions")
      .values({
        completed_at: closed ? "2026-06-01T10:00:00Z" : null,
        created_at: "2026-05-12T11:00:00Z",
        ...values,
        workspace_id: workspaceId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const agency_id of supporting) {
      await root
        .insertInto("action_supporting_agencies")
        .values({ workspace_id: workspaceId, action_id: id, agency_id })
        .execute();
    }
    return id;
  };

  const alphaPolice = await action(ws, {
    board_id: alpha,
    meeting_id: alphaMeeting,
    title: "Alpha police plan",
    description: "Draft the police plan for the board.",
    owner_agency_id: police,
    owner_person_id: priya,
    due_date: "2026-06-20",
    status: "open",
  });
  const bravoSecret = await action(ws, {
    board_id: bravo,
    title: SENSITIVE_TEXT.bravoSecretTitle,
    description: SENSITIVE_TEXT.bravoSecretDescription,
    classification: "official_sensitive",
    owner_agency_id: police,
    owner_person_id: priya,
    due_date: "2026-06-10",
    status: "in_progress",
  });
  const bravoSupport = await action(
    ws,
    {
      board_id: bravo,
      title: "Bravo probation referral pathway",
      owner_agency_id: probation,
      owner_person_id: paul,
      due_date: "2026-08-01",
      status: "open",
    },
    [police],
  );
  const bravoCouncil = await action(
    ws,
    {
      board_id: bravo,
      title: SENSITIVE_TEXT.bravoCouncilTitle,
      classification: "official_sensitive",
      owner_agency_id: probation,
      owner_person_id: paul,
      due_date: "2026-05-20",
      status: "done",
      outcome: "Nightjar review delivered",
    },
    [council],
  );
  const charlieCouncil = await action(ws, {
    board_id: charlie,
    title: "Charlie council housing audit",
    owner_agency_id: council,
    owner_person_id: cara,
    due_date: "2026-06-01",
    status: "dropped",
    outcome: "Superseded",
  });
  const alphaSecret = await action(ws, {
    board_id: alpha,
    title: SENSITIVE_TEXT.alphaSecretTitle,
    classification: "official_sensitive",
    owner_agency_id: probation,
    due_date: "2026-06-14",
    status: "open",
  });
  const charlieFire = await action(ws, {
    board_id: charlie,
    title: "Charlie fire safety visits",
    owner_agency_id: fire,
    owner_person_id: sam,
    due_date: "2026-07-01",
    status: "in_progress",
  });
  const foreign = await action(otherWs, {
    board_id: foreignBoard,
    title: "Foreign action",
    owner_agency_id: foreignAgency,
    due_date: "2026-06-20",
  });

  const update = async (
    action_id: number,
    body: string,
    created_at: string,
    status_to: "in_progress" | null = null,
  ) =>
    root
      .insertInto("action_updates")
      .values({ workspace_id: ws, action_id, author_name: "Someone", body, created_at, status_to })
      .execute();
  await update(alphaPolice, "First note on the police plan", "2026-05-20T09:00:00Z");
  await update(alphaPolice, "Latest note on the police plan", "2026-06-01T09:00:00Z");
  await update(bravoSecret, SENSITIVE_TEXT.bravoSecretUpdate, "2026-06-02T09:00:00Z", "in_progress");
  await update(bravoSupport, "Referral pathway agreed in principle", "2026-06-03T09:00:00Z");

  // Users with their grants, linked to their person records as the app links them.
  const grants: Record<FixtureRole, { ws: number; person: number | null; grant: TestGrant }> = {
    admin: { ws, person: null, grant: { role: "admin" } },
    leader: { ws, person: null, grant: { role: "leader" } },
    secretary: { ws, person: sam, grant: { role: "secretary", board_id: alpha } },
    member: { ws, person: cara, grant: { role: "member", board_id: alpha } },
    partner: { ws, person: priya, grant: { role: "partner", agency_id: police } },
    outsider: { ws: otherWs, person: null, grant: { role: "admin" } },
  };
  const personAgency: Record<number, number> = {
    [priya]: police,
    [paul]: probation,
    [cara]: council,
    [sam]: fire,
  };
  const users = {} as Record<FixtureRole, number>;
  const viewers = {} as Record<FixtureRole, Viewer>;
  const cookies = {} as Record<FixtureRole, string>;
  for (const [role, spec] of Object.entries(grants) as [FixtureRole, (typeof grants)[FixtureRole]][]) {
    const email = `${role}@${slug}.test`;
    const name = `${role[0]?.toUpperCase()}${role.slice(1)} User`;
    const user = await root
      .insertInto("users")
      .values({ email, name })
      .returning("id")
      .executeTakeFirstOrThrow();
    await root
      .insertInto("workspace_users")
      .values({ workspace_id: spec.ws, user_id: user.id, person_id: spec.person })
      .execute();
    await root
      .insertInto("role_grants")
      .values({
        workspace_id: spec.ws,
        user_id: user.id,
        role: spec.grant.role as Role,
        board_id: spec.grant.board_id ?? null,
        agency_id: spec.grant.agency_id ?? null,
      })
      .execute();
    users[role] = user.id;
    viewers[role] = makeViewer(root, spec.ws, [spec.grant], {
      userId: user.id,
      name,
      personId: spec.person,
      agencyId: spec.person === null ? null : (personAgency[spec.person] ?? null),
    });
    cookies[role] = await cookieFor(root, email);
  }

  return {
    handle,
    root,
    ws,
    otherWs,
    boards: { alpha, bravo, charlie },
    agencies: { police, probation, council, fire },
    people: { priya, paul, cara, sam },
    actions: {
      alphaPolice,
      bravoSecret,
      bravoSupport,
      bravoCouncil,
      charlieCouncil,
      alphaSecret,
      charlieFire,
      foreign,
    },
    alphaMeeting,
    users,
    viewers,
    cookies,
  };
}
