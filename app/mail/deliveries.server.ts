import { createHash } from "node:crypto";
import { sql } from "kysely";
import { type JobContext, PermanentJobError } from "../jobs/worker.server";
import { type MailMessage, MailSendError, mailTransport } from "./mailer.server";

/*
 * Sending a job's messages at most once each (decision 020). Every message of a job is a
 * row in mail_deliveries, keyed by (job, recipient):
 *
 * 1. In one short transaction that also confirms this worker still holds the job's lease
 *    (and locks the job's row), the row is read: "sent" means a previous try sent it, so it
 *    is skipped; otherwise it is marked "sending" and committed.
 * 2. The message goes to the transport, with a reference derived from the job and the
 *    recipient (the same on every try).
 * 3. The row becomes "sent" (or "failed", for a permanent refusal).
 *
 * A crash between 2 and 3 leaves "sending": the message may or may not have gone. The next
 * try asks the provider when it can tell (GOV.UK Notify, by reference) and sends only if
 * the provider has no such message: exactly once. A provider that cannot tell (SMTP) gets
 * the message again with the same Message-ID: at least once, and only in that window.
 */

export type DeliveryOutcome = "sent" | "already-sent" | "failed";

/** A stable reference for one message of one job, with no personal data in it. */
export function deliveryReference(jobId: number, recipient: string): string {
  const digest = createHash("sha256").update(recipient.toLowerCase()).digest("hex").slice(0, 16);
  return `boardledger-job-${jobId}-${digest}`;
}

/** Sends one message of the job unless a previous try already did. */
export async function deliverOnce(context: JobContext, message: MailMessage): Promise<DeliveryOutcome> {
  const { job, db } = context;
  const recipient = message.to.trim().toLowerCase();
  const transport = mailTransport();
  const reference = deliveryReference(job.id, recipient);

  const previous = await db.transaction().execute(async (trx) => {
    await context.holdLease(trx);
    const row = await trx
      .selectFrom("mail_deliveries")
      .select(["status", "provider_ref"])
      .where("job_id", "=", job.id)
      .where("recipient", "=", recipient)
      .forUpdate()
      .executeTakeFirst();
    if (row?.status === "sent") return row;
    await trx
      .insertInto("mail_deliveries")
      .values({
        job_id: job.id,
        recipient,
        status: "sending",
        attempt: job.attempt,
        transport: transport.name,
      })
      .onConflict((oc) =>
        oc.columns(["job_id", "recipient"]).doUpdateSet({
          status: "sending",
          attempt: job.attempt,
          transport: transport.name,
          error: null,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    return row;
  });
  if (previous?.status === "sent") return "already-sent";

  // A previous try stopped mid-send: ask the provider before sending again.
  if (previous?.status === "sending" && transport.findSent) {
    const found = await transport.findSent(reference, { signal: context.signal });
    if (found) {
      await record(context, recipient, { status: "sent", providerRef: found.providerRef });
      return "already-sent";
    }
  }

  context.signal.throwIfAborted();
  try {
    const receipt = await transport.send(
      { ...message, to: recipient },
      { reference, signal: context.signal },
    );
    await record(context, recipient, { status: "sent", providerRef: receipt.providerRef });
    return "sent";
  } catch (error) {
    if (error instanceof MailSendError && !error.retryable) {
      await record(context, recipient, { status: "failed", error: error.message });
      return "failed";
    }
    // Worth retrying: the row stays "sending", so the next try checks before it resends.
    throw error;
  }
}

async function record(
  context: JobContext,
  recipient: string,
  outcome: { status: "sent"; providerRef: string | null } | { status: "failed"; error: string },
): Promise<void> {
  await context.db
    .updateTable("mail_deliveries")
    .set({
      status: outcome.status,
      updated_at: sql<Date>`now()`,
      ...(outcome.status === "sent"
        ? { provider_ref: outcome.providerRef, sent_at: sql<Date>`now()`, error: null }
        : { error: outcome.error.slice(0, 2_000) }),
    })
    .where("job_id", "=", context.job.id)
    .where("recipient", "=", recipient)
    .where("attempt", "=", context.job.attempt)
    .execute();
}

/**
 * Sends each message once (recipients already sent to are skipped). A permanent refusal for
 * one recipient does not stop the others; the job then fails naming them, and an admin's
 * retry sends only to those still unsent.
 */
export async function deliverAll(
  context: JobContext,
  messages: readonly MailMessage[],
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  const refused: string[] = [];
  for (const message of messages) {
    const outcome = await deliverOnce(context, message);
    outcomes.push(outcome);
    if (outcome === "failed") refused.push(message.to);
  }
  if (refused.length > 0) {
    throw new PermanentJobError(
      `Refused for ${refused.length} of ${messages.length} recipient(s): ${refused.join(", ")}; the others were sent`,
    );
  }
  return outcomes;
}
