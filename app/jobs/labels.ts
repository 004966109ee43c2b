/*
 * The admin jobs page's sorts and states, shared by its table (in the browser) and its
 * queries (app/jobs/admin.server.ts).
 */

export const JOB_SORTS = ["created", "next-try", "queue", "attempts"] as const;
export type JobSort = (typeof JOB_SORTS)[number];

/** What admins filter by: "pending" includes jobs running now. */
export const JOB_STATES = ["pending", "sent", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];
