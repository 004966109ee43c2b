import { Fragment } from "react";
import { notFound } from "~/auth/authorise.server";
import { formatDateTime } from "~/format";
import { recordedMail } from "~/mail/mailer.server";
import type { Route } from "./+types/dev.mail";

/*
 * Development only: the emails the log transport has recorded, newest first, with their
 * links clickable (invitations, password resets). In production this page does not exist.
 */

export const meta: Route.MetaFunction = () => [{ title: "Sent email (development) – Boardledger" }];

export function loader() {
  if (process.env.NODE_ENV === "production") notFound();
  return {
    messages: recordedMail()
      .map((m, index) => ({
        id: index,
        to: m.to,
        subject: m.subject,
        sent: formatDateTime(m.sentAt),
        text: m.text,
        attachments: (m.attachments ?? []).map((a) => a.filename),
      }))
      .reverse(),
  };
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** One line of the text, with each web address as a link. */
function Linkified({ line }: { line: string }) {
  return line.split(URL_PATTERN).map((part, index) =>
    index % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
      <a key={index} className="govuk-link" href={part}>
        {part}
      </a>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
      <Fragment key={index}>{part}</Fragment>
    ),
  );
}

export default function DevMail({ loaderData }: Route.ComponentProps) {
  const { messages } = loaderData;
  return (
    <>
      <span className="govuk-caption-l">Development only</span>
      <h1 className="govuk-heading-l">Sent email</h1>
      <p className="govuk-body">
        Email recorded by the log transport since the server started, newest first. Restarting the server
        empties it.
      </p>
      {messages.length === 0 ? <p className="govuk-body">No email has been sent yet.</p> : null}
      {messages.map((m) => (
        <div className="govuk-summary-card" key={m.id}>
          <div className="govuk-summary-card__title-wrapper">
            <h2 className="govuk-summary-card__title">{m.subject}</h2>
          </div>
          <div className="govuk-summary-card__content">
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">To</dt>
                <dd className="govuk-summary-list__value">{m.to}</dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Sent</dt>
                <dd className="govuk-summary-list__value">{m.sent}</dd>
              </div>
              {m.attachments.length > 0 ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Attachments</dt>
                  <dd className="govuk-summary-list__value">{m.attachments.join(", ")}</dd>
                </div>
              ) : null}
            </dl>
            <p className="govuk-body-s">
              {m.text.split("\n").map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one fixed text
                <Fragment key={index}>
                  <Linkified line={line} />
                  <br />
                </Fragment>
              ))}
            </p>
          </div>
        </div>
      ))}
    </>
  );
}
