import { SelectField } from "~/components/choice-fields";
import { type FieldLike, TextField } from "~/components/forms";

/** The person form's fields, shared by "Add a person" and the person's page. */
export function PersonFields({
  fields,
  agencies,
  grades,
}: {
  fields: Record<
    "full_name" | "email" | "agency_id" | "grade_id" | "job_title" | "usual_travel_minutes",
    FieldLike
  >;
  agencies: { id: number; name: string }[];
  grades: { id: number; name: string; agency_id: number }[];
}) {
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  return (
    <>
      <TextField field={fields.full_name} label="Full name" autoComplete="off" spellCheck={false} />
      <TextField
        field={fields.email}
        label="Email address (optional)"
        hint="For meeting invitations and reminders. A person does not need a Boardledger login."
        type="email"
        autoComplete="off"
        spellCheck={false}
      />
      <SelectField
        field={fields.agency_id}
        label="Agency"
        placeholder="Choose an agency"
        options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
      />
      <SelectField
        field={fields.grade_id}
        label="Grade (optional)"
        hint="Their time is costed at this grade's salary. Choose one of their agency's grades."
        placeholder="No grade"
        options={grades
          .filter((g) => agencyName.has(g.agency_id))
          .map((g) => ({ value: String(g.id), label: `${agencyName.get(g.agency_id)}: ${g.name}` }))}
      />
      <TextField field={fields.job_title} label="Job title (optional)" className="govuk-input--width-20" />
      <TextField
        field={fields.usual_travel_minutes}
        label="Usual travel time to a meeting, in minutes (optional)"
        hint="Each way and back together, for meetings attended in person. Up to 600 minutes."
        className="govuk-input--width-4"
        inputMode="numeric"
      />
    </>
  );
}
