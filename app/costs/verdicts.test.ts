import { describe, expect, it } from "vitest";
import { judgeMeeting, type MeetingFigures } from "./verdicts";

const defaults = {
  reviewCostPerOutcomePence: 75_000,
  stopInformationSharePct: 60,
  reviewAttendanceSharePct: 50,
};

const figures = (overrides: Partial<MeetingFigures> = {}): MeetingFigures => ({
  costPence: 124_000,
  invited: 9,
  attended: 8,
  agenciesPresent: 5,
  quorum: 3,
  items: 9,
  informationItems: 2,
  decisions: 2,
  actionsRaised: 1,
  actionsCompletedSincePrevious: 0,
  feedbackCount: 0,
  feedbackAverage: null,
  ...overrides,
});

describe("judgeMeeting", () => {
  it("calls a productive, well-attended meeting worth holding and says why", () => {
    expect(judgeMeeting(figures(), defaults)).toEqual({
      verdict: "worth_holding",
      reasons: ["£1,240.00 for 2 decisions and 1 action raised", "8 of 9 invited attended"],
    });
  });

  it("suggests stopping at exactly the information share, with no decisions or actions", () => {
    // 6 of 10 is exactly 60 %: "at least 60 %".
    const f = figures({
      items: 10,
      informationItems: 6,
      decisions: 0,
      actionsRaised: 0,
      actionsCompletedSincePrevious: 2,
    });
    expect(judgeMeeting(f, defaults)).toEqual({
      verdict: "consider_stopping",
      reasons: [
        "£1,240.00 for 2 actions completed since the last meeting",
        "6 of 10 items were for information",
        "No decisions made and no actions raised: this could be a written update",
      ],
    });
    // 5 of 10 is under it; £620 for each of 2 outcomes is within the threshold.
    expect(judgeMeeting({ ...f, informationItems: 5 }, defaults).verdict).toBe("worth_holding");
  });

  it("does not judge an empty agenda as all information", () => {
    const f = figures({ items: 0, informationItems: 0, decisions: 0, actionsRaised: 0, costPence: 0 });
    expect(judgeMeeting(f, defaults).verdict).toBe("worth_holding");
  });

  it("reviews a cost per outcome above the threshold, but not one exactly at it", () => {
    expect(
      judgeMeeting(figures({ costPence: 225_000, decisions: 3, actionsRaised: 0 }), defaults).verdict,
    ).toBe("worth_holding");
    expect(judgeMeeting(figures({ costPence: 225_001, decisions: 3, actionsRaised: 0 }), defaults)).toEqual({
      verdict: "review",
      reasons: ["£2,250.01 for 3 decisions", "£750.00 per outcome, above the £750.00 limit"],
    });
    expect(
      judgeMeeting(figures({ decisions: 0, actionsRaised: 0, informationItems: 0 }), defaults).reasons,
    ).toContain("No outcomes for £1,240.00");
  });

  it("reviews a meeting that was not quorate or that fewer than half attended, giving each reason", () => {
    const f = figures({
      agenciesPresent: 1,
      quorum: 3,
      invited: 9,
      attended: 4,
      feedbackCount: 3,
      feedbackAverage: 2.33,
    });
    expect(judgeMeeting(f, defaults)).toEqual({
      verdict: "review",
      reasons: [
        "£1,240.00 for 2 decisions and 1 action raised",
        "Not quorate: 1 of the 3 agencies needed was present",
        "Only 4 of 9 invited attended",
        "Rated 2.3 out of 5 by 3 attendees",
      ],
    });
    expect(judgeMeeting({ ...f, agenciesPresent: 3, attended: 5 }, defaults).verdict).toBe("worth_holding");
    expect(
      judgeMeeting({ ...f, agenciesPresent: 3 }, { ...defaults, reviewAttendanceSharePct: 40 }).verdict,
    ).toBe("worth_holding");
  });
});
