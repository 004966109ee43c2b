import { RadiosField, SelectField } from "../../components/choice-fields";
import type { FieldLike } from "../../components/forms";
import { TextAreaField, TextField } from "../../components/forms";
import { BOARD_FREQUENCY_LABELS, BOARD_LEVEL_LABELS, BOARD_TYPE_LABELS } from "../labels";
import { BOARD_FREQUENCIES, BOARD_LEVELS, BOARD_TYPES } from "../schemas";

export type BoardFieldName =
  | "name"
  | "slug"
  | "type"
  | "level"
  | "terms_of_reference"
  | "quorum"
  | "default_duration_minutes"
  | "preparation_minutes"
  | "frequency"
  | "visibility"
  | "sensitive_items_public";

export const BOARD_FIELD_ORDER: readonly BoardFieldName[] = [
  "name",
  "slug",
  "type",
  "level",
  "terms_of_reference",
  "quorum",
  "default_duration_minutes",
  "preparation_minutes",
  "frequency",
  "visibility",
  "sensitive_items_public",
];

/** The fields of the add-a-board and edit-a-board forms. */
export function BoardFields({ fields }: { fields: Record<BoardFieldName, FieldLike> }) {
  return (
    <>
      <TextField field={fields.name} label="Name" />
      <TextField
        field={fields.slug}
        label="Short name for web addresses"
        hint="Lower-case letters, digits and hyphens, like leeds-lcjb. Leave it empty when adding a board to have one made from the name."
        spellCheck={false}
      />
      <SelectField
        field={fields.type}
        label="Type of board"
        placeholder="Choose a type"
        options={BOARD_TYPES.map((value) => ({ value, label: BOARD_TYPE_LABELS[value] }))}
      />
      <RadiosField
        field={fields.level}
        legend="Level"
        small
        options={BOARD_LEVELS.map((value) => ({ value, label: BOARD_LEVEL_LABELS[value] }))}
      />
      <TextAreaField field={fields.terms_of_reference} label="Terms of reference" rows={8} />
      <TextField
        field={fields.quorum}
        label="Quorum"
        hint="How many member agencies must be present, 0 to 100. 0 means no quorum."
        inputMode="numeric"
        className="govuk-input--width-4"
      />
      <TextField
        field={fields.default_duration_minutes}
        label="Usual meeting length, in minutes"
        hint="Between 5 and 720 minutes."
        inputMode="numeric"
        className="govuk-input--width-4"
      />
      <TextField
        field={fields.preparation_minutes}
        label="Preparation time for each attendee, in minutes"
        hint="Between 0 and 2,400 minutes."
        inputMode="numeric"
        className="govuk-input--width-4"
      />
      <SelectField
        field={fields.frequency}
        label="Usually meets"
        placeholder="Choose how often"
        options={BOARD_FREQUENCIES.map((value) => ({ value, label: BOARD_FREQUENCY_LABELS[value] }))}
      />
      <RadiosField
        field={fields.visibility}
        legend="Are the board's minutes published for the public?"
        small
        options={[
          { value: "public", label: "Yes, published for the public" },
          { value: "private", label: "No, not published" },
        ]}
      />
      <RadiosField
        field={fields.sensitive_items_public}
        legend="How do OFFICIAL-SENSITIVE items appear publicly?"
        small
        options={[
          { value: "restricted", label: "Shown as restricted, with their title withheld" },
          { value: "hidden", label: "Left out altogether" },
        ]}
      />
    </>
  );
}
