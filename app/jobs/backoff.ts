/*
 * How long a failed job waits before its next try: exponential back-off with "equal
 * jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): half the delay is
 * fixed, half random, so retries from many jobs that failed together (a provider outage)
 * spread out instead of arriving together, and no retry comes sooner than half its step.
 *
 * attempt 1 → 15–30 s, 2 → 30–60 s, 3 → 1–2 min, … capped at 30–60 min.
 */

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 60 * 60_000;

/** The delay before the try after `attempt` (1-based) failed. `random` is in [0, 1). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
