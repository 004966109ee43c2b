import { describe, expect, it } from "vitest";
import { quorum, quorumSummary } from "./quorum";

describe("quorum", () => {
  it("counts distinct member agencies present, deputies for the agency they stand in for", () => {
    const q = quorum(
      [
        { status: "attended", memberAgencyId: 1 },
        { status: "attended", memberAgencyId: 1 }, // a second from the same agency
        { status: "deputy", memberAgencyId: 2 },
        { status: "apologies", memberAgencyId: 3 },
        { status: "absent", memberAgencyId: 4 },
        { status: "invited", memberAgencyId: 5 },
        { status: "attended", memberAgencyId: null }, // not a member
      ],
      3,
    );
    expect(q).toEqual({ present: 2, needed: 3, quorate: false });
    expect(quorumSummary(q)).toBe("Not quorate: 2 of 3 agencies needed");
  });

  it("is quorate at or above the number needed", () => {
    const rows = [1, 2, 3, 4, 5].map((id) => ({ status: "attended" as const, memberAgencyId: id }));
    const q = quorum(rows, 4);
    expect(q.quorate).toBe(true);
    expect(quorumSummary(q)).toBe("Quorate: 5 of 4 agencies needed");
    expect(quorum(rows.slice(0, 4), 4).quorate).toBe(true);
    expect(quorumSummary(quorum([], 1))).toBe("Not quorate: 0 of 1 agency needed");
    expect(quorum([], 0).quorate).toBe(true);
  });
});
