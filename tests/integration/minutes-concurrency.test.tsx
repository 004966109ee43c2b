import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDatabaseForTests } from "~/db.server";
import * as editRoute from "~/routes/meetings.$meetingId.minutes.edit";
import { callRoute } from "../routes";
import { type MinutesFixture, minutesFixture, minutesForm } from "./minutes-fixture";

/*
 * Two people editing the same minutes: each save names the version it was based on. The
 * second save against the same version is refused with a clear message, both texts come
 * back (theirs as saved, this person's as typed, shown side by side on the page), and the
 * database keeps the first save untouched. Saving again after merging keeps both versions
 * in the history: nothing is lost.
 */

let f: MinutesFixture;
let params: { meetingId: string };
let path: string;

beforeAll(async () => {
  f = await minutesFixture("minutesclash");
  useDatabaseForTests(f.handle);
  params = { meetingId: String(f.meetingId) };
  path = `/meetings/${f.meetingId}/minutes/edit`;
});

afterAll(() => f?.handle.close());

const save = (cookie: string, form: Record<string, string>) =>
  callRoute(editRoute, { method: "POST", path, params, cookie, form });

async function stored() {
  const minutes = await f.db
    .selectFrom("minutes")
    .select(["id", "version"])
    .where("meeting_id", "=", f.meetingId)
    .executeTakeFirstOrThrow();
  const items = await f.db
    .selectFrom("minute_items")
    .select(["agenda_item_id", "discussion"])
    .where("minutes_id", "=", minutes.id)
    .execute();
  const versions = await f.db
    .selectFrom("minute_versions")
    .select(["version", "snapshot", "note"])
    .where("minutes_id", "=", minutes.id)
    .orderBy("version")
    .execute();
  const text = (id: number) => items.find((i) => i.agenda_item_id === id)?.discussion;
  return { version: minutes.version, text, versions };
}

interface Conflict {
  version: number;
  updatedBy: string | null;
  items: { id: number; discussion: string; decisions: { text: string }[] }[];
}

describe("two people saving the same version of the minutes", () => {
  it("refuses the second of two first saves (neither saw the other's)", async () => {
    const first = await save(f.cookies.secretary, minutesForm(f, 0, ["Secretary's first draft.", "", ""]));
    expect(first.status).toBe(302);
    const second = await save(f.cookies.admin, minutesForm(f, 0, ["Admin's first draft.", "", ""]));
    expect(second.status).toBe(409);
    expect((await stored()).text(f.itemIds[0])).toBe("Secretary's first draft.");
  });

  it("refuses the second save, returns both texts, and writes nothing", async () => {
    const base = (await stored()).version;
    const decision = minutesForm(f, base, ["Secretary's first draft.", "", ""], {
      "items[2].newDecision": "The board agreed the audit.",
    });
    expect((await save(f.cookies.secretary, decision)).status).toBe(302);
    const opened = (await stored()).version;
    const decisionId = (
      await f.db
        .selectFrom("decisions")
        .select("id")
        .where("meeting_id", "=", f.meetingId)
        .executeTakeFirstOrThrow()
    ).id;

    // Both open the editor at the same version. The admin saves first, removing the decision.
    const admin = await save(
      f.cookies.admin,
      minutesForm(f, opened, ["Admin: the minutes were agreed.", "", "Admin: compliance at 82%."], {
        "items[2].decisions[0].id": String(decisionId),
        "items[2].decisions[0].text": "",
      }),
    );
    expect(admin.status).toBe(302);
    const afterAdmin = await stored();

    // The secretary's save, based on the same version, is refused.
    const secretary = await save(
      f.cookies.secretary,
      minutesForm(f, opened, ["Secretary: agreed as a true record.", "", "Secretary: compliance at 81%."], {
        "items[2].decisions[0].id": String(decisionId),
        "items[2].decisions[0].text": "The board agreed the audit of all partners.",
      }),
    );
    expect(secretary.status).toBe(409);
    const body = secretary.body as {
      result: { error: Record<string, string[]>; initialValue: { items: { discussion: string }[] } };
      conflict: Conflict;
    };
    expect(body.result.error[""]).toEqual([
      "Someone else saved these minutes after you opened them, so your changes have not been saved. Both versions are shown below: merge them, then save again.",
    ]);
    // Theirs, as saved…
    expect(body.conflict.version).toBe(opened + 1);
    expect(body.conflict.updatedBy).toBe("admin user");
    expect(body.conflict.items.find((i) => i.id === f.itemIds[2])?.discussion).toBe(
      "Admin: compliance at 82%.",
    );
    // …and this person's, as typed.
    expect(body.result.initialValue.items[2]?.discussion).toBe("Secretary: compliance at 81%.");
    // Nothing written.
    const now = await stored();
    expect(now.version).toBe(afterAdmin.version);
    expect(now.versions).toEqual(afterAdmin.versions);
    expect(f.itemIds.map(now.text)).toEqual(f.itemIds.map(afterAdmin.text));

    // The page shows both, this person's text in the boxes and theirs beside it.
    const loaded = await callRoute(editRoute, { path, params, cookie: f.cookies.secretary });
    const Stub = createRoutesStub([
      {
        id: "page",
        path: "/meetings/:meetingId/minutes/edit",
        Component: editRoute.default as ComponentType,
      },
    ]);
    // React marks the joins between adjacent text nodes with empty comments: read the text without them.
    const rendered = renderToString(
      <Stub
        initialEntries={[path]}
        hydrationData={{ loaderData: { page: loaded.body }, actionData: { page: secretary.body } }}
      />,
    );
    const html = rendered.replaceAll("<!-- -->", "");
    expect(html).toContain("Someone else saved these minutes after you opened them");
    expect(html).toContain("Saved meanwhile by admin user");
    expect(html).toContain("Admin: compliance at 82%.");
    expect(html).toContain("Secretary: compliance at 81%.");
    expect(html).toContain(`name="version" value="${opened + 1}"`);

    // Merging: the secretary saves again on the version they have now seen.
    const merged = await save(
      f.cookies.secretary,
      minutesForm(
        f,
        opened + 1,
        ["Admin: the minutes were agreed.", "", "Compliance at 82% (81% excluding courts)."],
        {
          "items[2].decisions[0].id": String(decisionId),
          "items[2].decisions[0].text": "The board agreed the audit of all partners.",
        },
      ),
    );
    expect(merged.status).toBe(302);
    const final = await stored();
    expect(final.text(f.itemIds[2])).toBe("Compliance at 82% (81% excluding courts).");
    // The decision the admin removed comes back, since the secretary kept it when merging.
    const decisions = await f.db
      .selectFrom("decisions")
      .select("text")
      .where("meeting_id", "=", f.meetingId)
      .execute();
    expect(decisions.map((d) => d.text)).toEqual(["The board agreed the audit of all partners."]);
    // Every save is in the history: the admin's text is still there to compare with.
    const texts = final.versions.map((v) => JSON.stringify(v.snapshot));
    expect(texts.some((t) => t.includes("Admin: compliance at 82%."))).toBe(true);
    expect(texts.at(-1)).toContain("Compliance at 82% (81% excluding courts).");
  });

  it("refuses a stale autosave the same way, so the page can warn before anything is lost", async () => {
    const current = (await stored()).version;
    const autosave = await save(f.cookies.admin, {
      ...minutesForm(f, current - 1, ["Autosaved over?", "", ""]),
      intent: "autosave",
    });
    expect(autosave.status).toBe(409);
    expect((autosave.body as { conflict?: Conflict }).conflict?.version).toBe(current);
    const fresh = await save(f.cookies.admin, {
      ...minutesForm(f, current, ["Autosaved text.", "", ""]),
      intent: "autosave",
    });
    expect(fresh.status).toBe(200);
    expect((fresh.body as { autosaved: { version: number } }).autosaved.version).toBe(current + 1);
    const after = await stored();
    expect(after.versions.at(-1)?.note).toBe("Autosaved");
    expect(after.text(f.itemIds[0])).toBe("Autosaved text.");
  });
});
