import { RadiosField } from "../../components/choice-fields";
import { type FieldLike, TextField } from "../../components/forms";

/** The fields a meeting is scheduled or rescheduled with. */
export function MeetingFields({
  fields,
}: {
  fields: {
    date: FieldLike;
    start_time: FieldLike;
    duration_minutes: FieldLike;
    format: FieldLike;
    location: FieldLike;
    venue_cost: FieldLike;
    catering_cost: FieldLike;
  };
}) {
  return (
    <>
      <TextField field={fields.date} label="Date" hint="For example, 3 March 2027" type="date" />
      <TextField
        field={fields.start_time}
        label="Start time"
        hint="UK time, 24-hour clock, for example 10:00 or 14:30"
        type="time"
        className="govuk-input--width-5"
      />
      <TextField
        field={fields.duration_minutes}
        label="Length in minutes"
        hint="Between 5 and 720 minutes"
        inputMode="numeric"
        className="govuk-input--width-4"
      />
      <RadiosField
        field={fields.format}
        legend="Format"
        options={[
          { value: "in_person", label: "In person" },
          { value: "virtual", label: "Virtual" },
          { value: "hybrid", label: "Hybrid" },
        ]}
      />
      <TextField
        field={fields.location}
        label="Location"
        hint="The room and building, or the video call's name. Required for in person and hybrid meetings"
      />
      <TextField
        field={fields.venue_cost}
        label="Venue cost in pounds (optional)"
        hint="Up to £100,000, for example 250.00"
        inputMode="decimal"
        className="govuk-input--width-10"
      />
      <TextField
        field={fields.catering_cost}
        label="Catering cost in pounds (optional)"
        hint="Up to £100,000"
        inputMode="decimal"
        className="govuk-input--width-10"
      />
    </>
  );
}
