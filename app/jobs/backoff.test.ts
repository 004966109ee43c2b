import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, backoffDelayMs } from "./backoff";

describe("backoffDelayMs", () => {
  it("doubles with each attempt, between half and all of its step", () => {
    expect(backoffDelayMs(1, () => 0)).toBe(15_000);
    expect(backoffDelayMs(1, () => 0.999_999)).toBe(30_000);
    expect(backoffDelayMs(2, () => 0)).toBe(30_000);
    expect(backoffDelayMs(3, () => 0.5)).toBe(90_000);
  });

  it("stops growing at an hour", () => {
    expect(backoffDelayMs(30, () => 1 - Number.EPSILON)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelayMs(30, () => 0)).toBe(BACKOFF_CAP_MS / 2);
  });

  it("spreads retries that fail together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
