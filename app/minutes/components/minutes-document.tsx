import type { ReactNode } from "react";
import { MEETING_FORMAT_LABELS } from "../../boards/labels";
import { Tag } from "../../components/tag";
import { formatDate, formatDateTime } from "../../format";
import type { MinutesDocument } from "../document.server";

/*
 * The minutes as a document: the meeting, who attended and sent apologies, declarations of
 * interest, then each agenda item with the declarations made on it, its discussion, decisions
 * and actions, and how the minutes were approved. One
 * component for the signed-in page, the public page, the Atom feed's entries and print (the
 * print stylesheet in app/styles/_minutes.scss turns it into a clean A4 document).
 * Discussion HTML comes from the server's Markdown renderer (document.server.ts), which
 * allows no raw HTML and no script.
 */

function people(list: { name: string; agency: string }[]): ReactNode {
  if (list.length === 0) return <p className="govuk-body">None.</p>;
  return (
    <ul className="govuk-list app-minutes__people">
      {list.map((p, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two attendees may share a name
        <li key={index}>
          {p.name}, {p.agency}
        </li>
      ))}
    </ul>
  );
}

function declarationList(list: MinutesDocument["declarations"]): ReactNode {
  return (
    <ul className="govuk-list govuk-list--bullet app-minutes__declarations">
      {list.map((d) => (
        <li key={d.id}>
          {d.name}, {d.agency}: {d.text}
          {d.interest ? ` (registered interest: ${d.interest})` : ""}
        </li>
      ))}
    </ul>
  );
}

export function MinutesDocumentView({
  document,
  itemExtras,
}: {
  document: MinutesDocument;
  /** Shown under each item on screen only (comments), never printed. */
  itemExtras?: (agendaItemId: number) => ReactNode;
}) {
  const { meeting, attendance, declarations, items, approval } = document;
  const declaredOnItems = items.some((item) => item.declarations.length > 0);
  return (
    <article className="app-minutes" aria-label={`Minutes of the ${meeting.boardName} meeting`}>
      <p className="govuk-body app-minutes__meeting">
        {meeting.boardName}: meeting held on {formatDateTime(meeting.startsAt)}
        {meeting.location
          ? ` (${MEETING_FORMAT_LABELS[meeting.format].toLowerCase()}, ${meeting.location})`
          : ""}
        .
      </p>

      <section className="app-minutes__attendance">
        <h2 className="govuk-heading-m">Present</h2>
        {attendance.present.length === 0 ? (
          <p className="govuk-body">No attendance was recorded.</p>
        ) : (
          <ul className="govuk-list app-minutes__people">
            {attendance.present.map((p, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two attendees may share a name
              <li key={index}>
                {p.name}, {p.agency}
                {p.deputyFor ? ` (deputy for ${p.deputyFor})` : ""}
                {p.remote ? " (remote)" : ""}
              </li>
            ))}
          </ul>
        )}
        <h2 className="govuk-heading-m">Apologies</h2>
        {people(attendance.apologies)}
        {attendance.absent.length > 0 && (
          <>
            <h2 className="govuk-heading-m">Absent</h2>
            {people(attendance.absent)}
          </>
        )}
      </section>

      <section className="app-minutes__declared">
        <h2 className="govuk-heading-m">Declarations of interest</h2>
        {declarations.length > 0 && declarationList(declarations)}
        {declaredOnItems ? (
          <p className="govuk-body">
            {declarations.length > 0 ? "Other declarations" : "Declarations"} are recorded under the items
            they were made on.
          </p>
        ) : declarations.length === 0 ? (
          <p className="govuk-body">None.</p>
        ) : null}
      </section>

      {items.map((item) => (
        <section className="app-minutes__item" key={item.agendaItemId} id={`item-${item.agendaItemId}`}>
          <h2 className="govuk-heading-m">
            {item.position + 1}. {item.title}
            {item.restricted ? (
              <>
                {" "}
                <Tag colour="red">Restricted</Tag>
              </>
            ) : item.classification === "official_sensitive" ? (
              <>
                {" "}
                <Tag colour="red">OFFICIAL-SENSITIVE</Tag>
              </>
            ) : null}
          </h2>
          {item.restricted ? (
            <p className="govuk-body app-secondary-text">
              This item was taken as OFFICIAL-SENSITIVE, so its minutes are not published.
            </p>
          ) : (
            <>
              {item.declarations.length > 0 && (
                <>
                  <h3 className="govuk-heading-s">Declarations of interest</h3>
                  {declarationList(item.declarations)}
                </>
              )}
              {item.discussionHtml ? (
                <div
                  className="app-minutes__discussion"
                  // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered on the server by markdown-it with raw HTML off (markdown.server.ts)
                  dangerouslySetInnerHTML={{ __html: item.discussionHtml }}
                />
              ) : (
                <p className="govuk-body app-secondary-text">No minutes were recorded for this item.</p>
              )}
              {item.decisions.length > 0 && (
                <>
                  <h3 className="govuk-heading-s">
                    {item.decisions.length === 1 ? "Decision" : "Decisions"}
                  </h3>
                  <ul className="govuk-list govuk-list--bullet app-minutes__decisions">
                    {item.decisions.map((decision) => (
                      <li key={decision.id}>{decision.text}</li>
                    ))}
                  </ul>
                </>
              )}
              {item.actions.length > 0 && (
                <table className="govuk-table app-minutes__actions">
                  <caption className="govuk-table__caption govuk-table__caption--s">
                    {item.actions.length === 1 ? "Action" : "Actions"}
                  </caption>
                  <thead className="govuk-table__head">
                    <tr className="govuk-table__row">
                      <th scope="col" className="govuk-table__header">
                        Action
                      </th>
                      <th scope="col" className="govuk-table__header">
                        Owner
                      </th>
                      <th scope="col" className="govuk-table__header app-nowrap">
                        Due
                      </th>
                    </tr>
                  </thead>
                  <tbody className="govuk-table__body">
                    {item.actions.map((action) => (
                      <tr className="govuk-table__row" key={action.id}>
                        <td className="govuk-table__cell">{action.title}</td>
                        <td className="govuk-table__cell">
                          {action.ownerAgency}
                          {action.ownerPerson ? ` (${action.ownerPerson})` : ""}
                        </td>
                        <td className="govuk-table__cell app-nowrap">{formatDate(action.dueDate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
          {itemExtras ? <div className="app-no-print">{itemExtras(item.agendaItemId)}</div> : null}
        </section>
      ))}

      <p className="govuk-body app-minutes__approval">
        {approval
          ? approval.atMeeting
            ? `These minutes were approved as a true record at the meeting of ${formatDate(approval.atMeeting.startsAt)}.`
            : `These minutes were approved as a true record by the chair on ${formatDate(approval.approvedAt)}.`
          : "These minutes have not yet been approved."}
      </p>
    </article>
  );
}
