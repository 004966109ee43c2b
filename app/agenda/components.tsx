import { RadiosField, SelectField } from "~/components/choice-fields";
import { type FieldLike, TextField } from "~/components/forms";
import {
  CLASSIFICATION_LABELS,
  CLASSIFICATIONS,
  MAX_MINUTES_ALLOWED,
  PURPOSE_LABELS,
  PURPOSES,
} from "./schemas";

/* The agenda item's fields (add and edit share them) and the agenda's running total. */

export function AgendaItemFields({
  fields,
  presenters,
}: {
  fields: Record<
    "title" | "purpose" | "presenter_person_id" | "minutes_allowed" | "classification",
    FieldLike
  >;
  presenters: { value: string; label: string }[];
}) {
  return (
    <>
      <TextField field={fields.title} label="Title" />
      <RadiosField
        field={fields.purpose}
        legend="Purpose"
        small
        options={PURPOSES.map((value) => ({ value, label: PURPOSE_LABELS[value] }))}
      />
      <SelectField
        field={fields.presenter_person_id}
        label="Presenter (optional)"
        hint="Members of the board on the day of the meeting"
        placeholder="No presenter"
        options={presenters}
      />
      <TextField
        field={fields.minutes_allowed}
        label="Minutes allowed"
        hint={`A whole number from 0 to ${MAX_MINUTES_ALLOWED}`}
        inputMode="numeric"
        className="govuk-input--width-3"
      />
      <RadiosField
        field={fields.classification}
        legend="Classification"
        small
        options={CLASSIFICATIONS.map((value) => ({
          value,
          label: CLASSIFICATION_LABELS[value],
          hint:
            value === "official_sensitive"
              ? "Only the board's members, secretary, leaders and admins can see it and its papers"
              : undefined,
        }))}
      />
    </>
  );
}

/** "1 hour 50 minutes of 2 hours", with a warning when the items need longer than the meeting. */
export function AgendaTotal({ text, over }: { text: string; over: string | null }) {
  return (
    <>
      <p className="govuk-body">
        Time allowed: <strong>{text}</strong>
      </p>
      {over ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            {`The items need ${over} more than the meeting’s length.`}
          </strong>
        </div>
      ) : null}
    </>
  );
}
