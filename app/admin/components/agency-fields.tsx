import { SelectField } from "~/components/choice-fields";
import { type FieldLike, TextField } from "~/components/forms";
import { AGENCY_TYPE_LABELS, AGENCY_TYPES } from "../schemas";

/** The agency form's fields, shared by "Add an agency" and the agency page's "Change details". */
export function AgencyFields({
  fields,
  defaults,
}: {
  fields: Record<
    "name" | "short_name" | "type" | "on_cost_pct" | "overhead_pct" | "mileage_pence",
    FieldLike
  >;
  defaults: { on_cost_pct: number; overhead_pct: number; mileage_pence: number };
}) {
  return (
    <>
      <TextField field={fields.name} label="Name" autoComplete="organization" spellCheck={false} />
      <TextField
        field={fields.short_name}
        label="Short name (optional)"
        hint="Shown where space is tight, for example NPS or HCT"
        className="govuk-input--width-10"
        spellCheck={false}
      />
      <SelectField
        field={fields.type}
        label="Type of agency"
        placeholder="Choose a type"
        options={AGENCY_TYPES.map((t) => ({ value: t, label: AGENCY_TYPE_LABELS[t] }))}
      />
      <TextField
        field={fields.on_cost_pct}
        label="On-cost % (optional)"
        hint={`Employer's National Insurance and pension on top of salary. Leave blank to use the workspace default, ${defaults.on_cost_pct}%`}
        className="govuk-input--width-5"
        inputMode="decimal"
      />
      <TextField
        field={fields.overhead_pct}
        label="Overhead % (optional)"
        hint={`Premises, management and support costs. Leave blank to use the workspace default, ${defaults.overhead_pct}%`}
        className="govuk-input--width-5"
        inputMode="decimal"
      />
      <TextField
        field={fields.mileage_pence}
        label="Mileage rate in pence a mile (optional)"
        hint={`Leave blank to use the workspace default, ${defaults.mileage_pence}p`}
        className="govuk-input--width-5"
        inputMode="numeric"
      />
    </>
  );
}
