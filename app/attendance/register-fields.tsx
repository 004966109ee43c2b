import type { FieldLike } from "../components/forms";

/*
 * Compact GOV.UK fields for a cell of the register table: the label is visually hidden but
 * names the person ("Status for Ann Smith"), and a refused value's message sits in the cell
 * above the field, with what was typed kept.
 */

function initial(field: FieldLike): string | undefined {
  return typeof field.initialValue === "string" ? field.initialValue : undefined;
}

function ErrorMessage({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="govuk-error-message govuk-!-font-size-16">
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  );
}

export function CellSelect({
  field,
  label,
  options,
  placeholder,
}: {
  field: FieldLike;
  label: string;
  options: { value: string; label: string }[];
  placeholder?: string;
}) {
  const error = field.errors?.[0];
  const errorId = `${field.id}-error`;
  return (
    <div className={`govuk-form-group govuk-!-margin-bottom-0${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-visually-hidden" htmlFor={field.id}>
        {label}
      </label>
      <ErrorMessage id={errorId} error={error} />
      <select
        key={field.key}
        id={field.id}
        name={field.name}
        defaultValue={initial(field) ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={`govuk-select govuk-!-font-size-16${error ? " govuk-select--error" : ""}`}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CellInput({
  field,
  label,
  inputMode,
  prefix,
}: {
  field: FieldLike;
  label: string;
  inputMode: "numeric" | "decimal";
  prefix?: string;
}) {
  const error = field.errors?.[0];
  const errorId = `${field.id}-error`;
  const input = (
    <input
      key={field.key}
      id={field.id}
      name={field.name}
      type="text"
      inputMode={inputMode}
      spellCheck={false}
      autoComplete="off"
      defaultValue={initial(field)}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
      className={`govuk-input govuk-input--width-4 govuk-!-font-size-16${error ? " govuk-input--error" : ""}`}
    />
  );
  return (
    <div className={`govuk-form-group govuk-!-margin-bottom-0${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-visually-hidden" htmlFor={field.id}>
        {label}
      </label>
      <ErrorMessage id={errorId} error={error} />
      {prefix ? (
        <div className="govuk-input__wrapper">
          <div className="govuk-input__prefix" aria-hidden="true">
            {prefix}
          </div>
          {input}
        </div>
      ) : (
        input
      )}
    </div>
  );
}
