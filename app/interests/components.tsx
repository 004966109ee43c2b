import { formatDate } from "../format";
import type { Interest, PersonInterests } from "./interests.server";

/*
 * Read-only views of the register of interests: one person's interests, and a board's
 * members each with their current interests (read from the one register, never copied).
 */

export function InterestList({ interests }: { interests: readonly Interest[] }) {
  return (
    <ul className="govuk-list govuk-list--bullet">
      {interests.map((interest) => (
        <li key={interest.id}>
          {interest.description}{" "}
          <span className="govuk-body-s app-secondary-text">
            (declared {formatDate(interest.declaredOn)}
            {interest.endedOn ? `, ended ${formatDate(interest.endedOn)}` : ""})
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PeopleInterests({
  people,
  emptyMessage = "No current member has registered an interest.",
}: {
  people: readonly PersonInterests[];
  emptyMessage?: string;
}) {
  if (people.length === 0) return <p className="govuk-body">{emptyMessage}</p>;
  return (
    <dl className="govuk-summary-list">
      {people.map((person) => (
        <div className="govuk-summary-list__row" key={person.personId}>
          <dt className="govuk-summary-list__key">
            {person.name}
            <br />
            <span className="govuk-body-s app-secondary-text">{person.agencyName}</span>
          </dt>
          <dd className="govuk-summary-list__value">
            <InterestList interests={person.interests} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
