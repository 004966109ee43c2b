import { TZDate } from "@date-fns/tz";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { londonDate, TIME_ZONE } from "../format";
import { enqueueJob } from "./queue.server";

/*
 * Periodic work, on top of the queue: each schedule has slots (e.g. every day at 7am London
 * time), and each slot becomes one job whose dedupe key names the slot. Every worker process
 * ticks the scheduler every minute and enqueues the latest slot that is due; the dedupe key
 * lets only the first enqueue through. So a slot runs once however many instances there are,
 * and one missed while every instance was down runs as soon as one is back (only the latest
 * slot: a schedule catches up, it does not replay a backlog).
 */

export interface Slot {
  /** Names the slot in the job's dedupe key and payload, e.g. "2027-03-03". */
  key: string;
  /** When it fell due. */
  at: Date;
}

export interface Schedule {
  /** Unique; part of each slot's dedupe key. */
  name: string;
  /** The queue whose handler does the work; its payload is `{ slot }`. */
  queue: string;
  /** The latest slot at or before `now`. */
  latestSlot(now: Date): Slot;
}

const ISO_WEEKDAYS = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };

function parseTime(time: string): { hours: number; minutes: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`Not a time of day: ${time}`);
  return { hours: Number(match[1]), minutes: Number(match[2]) };
}

/** The instant of `time` on the London calendar day `daysBack` days before `now`'s. */
function londonTimeOnDay(now: Date, daysBack: number, time: { hours: number; minutes: number }): Date {
  const today = new TZDate(now.getTime(), TIME_ZONE);
  const day = new TZDate(today.getFullYear(), today.getMonth(), today.getDate() - daysBack, 12, 0, TIME_ZONE);
  const at = new TZDate(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    time.hours,
    time.minutes,
    TIME_ZONE,
  );
  return new Date(at.getTime());
}

/** Every day at `time` (HH:MM) London time; the slot's key is that London date. */
export function daily(name: string, queue: string, time: string): Schedule {
  const at = parseTime(time);
  return {
    name,
    queue,
    latestSlot(now) {
      const todays = londonTimeOnDay(now, 0, at);
      const slot = todays.getTime() <= now.getTime() ? todays : londonTimeOnDay(now, 1, at);
      return { key: londonDate(slot), at: slot };
    },
  };
}

/** Every week on `weekday` at `time` London time; the slot's key is that London date. */
export function weekly(
  name: string,
  queue: string,
  weekday: keyof typeof ISO_WEEKDAYS,
  time: string,
): Schedule {
  const at = parseTime(time);
  const wanted = ISO_WEEKDAYS[weekday];
  return {
    name,
    queue,
    latestSlot(now) {
      const today = new TZDate(now.getTime(), TIME_ZONE);
      const isoToday = today.getDay() === 0 ? 7 : today.getDay();
      let back = (isoToday - wanted + 7) % 7;
      let slot = londonTimeOnDay(now, back, at);
      if (slot.getTime() > now.getTime()) {
        back += 7;
        slot = londonTimeOnDay(now, back, at);
      }
      return { key: londonDate(slot), at: slot };
    },
  };
}

/** The dedupe key of a schedule's slot. */
export function slotKey(schedule: Schedule, slot: Slot): string {
  return `schedule:${schedule.name}:${slot.key}`;
}

/** Enqueues each schedule's latest due slot (a no-op for slots already queued); the ones new now. */
export async function enqueueDueSlots(
  db: Kysely<Database>,
  schedules: readonly Schedule[],
  now: Date = new Date(),
): Promise<string[]> {
  const added: string[] = [];
  for (const schedule of schedules) {
    const slot = schedule.latestSlot(now);
    const key = slotKey(schedule, slot);
    const queued = await enqueueJob(db, {
      queue: schedule.queue,
      payload: { slot: slot.key },
      dedupeKey: key,
    });
    if (queued) added.push(key);
  }
  return added;
}

/** Ticks the schedules every `everyMs` (default a minute) until stop(). */
export class Scheduler {
  readonly #db: Kysely<Database>;
  readonly #schedules: readonly Schedule[];
  readonly #everyMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticking: Promise<unknown> | undefined;

  constructor(
    db: Kysely<Database>,
    schedules: readonly Schedule[],
    options: { everyMs?: number; onError?: (error: unknown) => void } = {},
  ) {
    this.#db = db;
    this.#schedules = schedules;
    this.#everyMs = options.everyMs ?? 60_000;
    this.#onError = options.onError ?? (() => {});
  }

  start(): void {
    if (this.#timer) return;
    this.tick();
    this.#timer = setInterval(() => this.tick(), this.#everyMs);
    this.#timer.unref?.();
  }

  /** One tick now (a tick still running is not doubled). */
  tick(now: Date = new Date()): Promise<unknown> {
    this.#ticking ??= enqueueDueSlots(this.#db, this.#schedules, now)
      .catch(this.#onError)
      .finally(() => {
        this.#ticking = undefined;
      });
    return this.#ticking;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }
}
