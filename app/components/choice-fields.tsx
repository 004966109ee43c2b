import type { ReactNode } from "react";
import type { FieldLike } from "./forms";

/*
 * GOV.UK radios and select for the one form pattern (see forms.tsx): the message sits
 * beside the field and the user's choice is kept after a refused submission.
 */

function chosen(field: FieldLike): string | undefined {
  return typeof field.initialValue === "string" ? field.initialValue : undefined;
}

export function RadiosField({
  field,
  legend,
  hint,
  options,
  small,
}: {
  field: FieldLike;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode; hint?: ReactNode }[];
  small?: boolean;
}) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const value = chosen(field);
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div id={hintId} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        {error ? (
          <p id={errorId} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div className={`govuk-radios${small ? " govuk-radios--small" : ""}`} data-module="govuk-radios">
          {options.map((option, index) => {
            // The first radio carries the field's id, so the error summary's link lands on it.
            const id = index === 0 ? field.id : `${field.id}-${option.value}`;
            return (
              <div className="govuk-radios__item" key={option.value}>
                <input
                  key={field.key}
                  className="govuk-radios__input"
                  id={id}
                  name={field.name}
                  type="radio"
                  value={option.value}
                  defaultChecked={value === option.value}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={`${id}-item-hint`} className="govuk-hint govuk-radios__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function SelectField({
  field,
  label,
  hint,
  options,
  placeholder,
}: {
  field: FieldLike;
  label: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  /** The first, empty choice ("Choose a board"). */
  placeholder?: string;
}) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={field.id}>
        {label}
      </label>
      {hint ? (
        <div id={hintId} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errorId} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      <select
        key={field.key}
        id={field.id}
        name={field.name}
        defaultValue={chosen(field) ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`govuk-select${error ? " govuk-select--error" : ""}`}
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

/** GOV.UK checkboxes: several choices under one name (a filter's statuses, say). */
export function CheckboxesField({
  field,
  legend,
  hint,
  options,
  small,
}: {
  field: FieldLike;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode; hint?: ReactNode }[];
  small?: boolean;
}) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const initial = field.initialValue;
  const checked = new Set(
    Array.isArray(initial)
      ? initial.filter((v): v is string => typeof v === "string")
      : typeof initial === "string"
        ? [initial]
        : [],
  );
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div id={hintId} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        {error ? (
          <p id={errorId} className="govuk-error-message">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        ) : null}
        <div
          className={`govuk-checkboxes${small ? " govuk-checkboxes--small" : ""}`}
          data-module="govuk-checkboxes"
        >
          {options.map((option, index) => {
            // The first box carries the field's id, so the error summary's link lands on it.
            const id = index === 0 ? field.id : `${field.id}-${option.value}`;
            return (
              <div className="govuk-checkboxes__item" key={option.value}>
                <input
                  key={field.key}
                  className="govuk-checkboxes__input"
                  id={id}
                  name={field.name}
                  type="checkbox"
                  value={option.value}
                  defaultChecked={checked.has(option.value)}
                  aria-describedby={option.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div id={`${id}-item-hint`} className="govuk-hint govuk-checkboxes__hint">
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
