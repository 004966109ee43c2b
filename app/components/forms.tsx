import { type ReactNode, useEffect, useRef } from "react";

/*
 * The one form pattern (with zod + Conform): the action parses with `parseWithZod` and
 * returns `submission.reply()`; the page calls `useForm({ lastResult, constraint })` and
 * renders these GOV.UK components, so a refused form shows an error summary at the top and
 * each message beside its field, with what the user typed kept.
 */

/** What these components read of a Conform field (any FieldMetadata fits). */
export interface FieldLike {
  id: string;
  name: string;
  key?: string;
  errors?: string[];
  initialValue?: unknown;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: string | number;
  max?: string | number;
  pattern?: string;
}

/** GOV.UK error summary: shown when the last submission failed; links to each field. */
export function ErrorSummary({ form, fields }: { form: { errors?: string[] }; fields: FieldLike[] }) {
  const formErrors = form.errors ?? [];
  const fieldErrors = fields.flatMap((field) =>
    (field.errors ?? []).map((message) => ({ id: field.id, message })),
  );
  const summary = useRef<HTMLDivElement>(null);
  const messages = [...formErrors, ...fieldErrors.map((e) => e.message)].join("\n");
  // As GOV.UK Frontend does on page load, move focus to the summary each time a submission
  // fails, including a failure answered without a page load.
  useEffect(() => {
    if (messages) summary.current?.focus();
  }, [messages]);
  if (formErrors.length === 0 && fieldErrors.length === 0) return null;
  return (
    <div
      ref={summary}
      className="govuk-error-summary"
      data-module="govuk-error-summary"
      aria-labelledby="error-summary-title"
      role="alert"
      tabIndex={-1}
    >
      <div role="alert">
        <h2 className="govuk-error-summary__title" id="error-summary-title">
          There is a problem
        </h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {formErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
            {fieldErrors.map(({ id, message }) => (
              <li key={`${id}-${message}`}>
                <a href={`#${id}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

interface TextFieldProps {
  field: FieldLike;
  label: ReactNode;
  hint?: ReactNode;
  type?: "text" | "email" | "password" | "number" | "date" | "time" | "tel" | "url";
  autoComplete?: string;
  className?: string;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  spellCheck?: boolean;
  /** The label as a page heading (one-question pages). */
  labelIsHeading?: boolean;
}

export function TextField({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
  className,
  inputMode,
  spellCheck,
  labelIsHeading,
}: TextFieldProps) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  // Passwords are never sent back to the page.
  const defaultValue =
    type === "password" || typeof field.initialValue !== "string" ? undefined : field.initialValue;
  const labelElement = (
    <label className={`govuk-label${labelIsHeading ? " govuk-label--l" : ""}`} htmlFor={field.id}>
      {label}
    </label>
  );
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      {labelIsHeading ? <h1 className="govuk-label-wrapper">{labelElement}</h1> : labelElement}
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
      <input
        key={field.key}
        id={field.id}
        name={field.name}
        type={type}
        defaultValue={defaultValue}
        required={field.required}
        minLength={field.minLength}
        maxLength={field.maxLength}
        min={field.min}
        max={field.max}
        pattern={field.pattern}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`govuk-input${error ? " govuk-input--error" : ""}${className ? ` ${className}` : ""}`}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
      />
    </div>
  );
}

export function SubmitButton({
  children,
  secondary,
  name,
  value,
}: {
  children: ReactNode;
  secondary?: boolean;
  name?: string;
  value?: string;
}) {
  return (
    <button
      type="submit"
      className={`govuk-button${secondary ? " govuk-button--secondary" : ""}`}
      data-module="govuk-button"
      data-prevent-double-click="true"
      name={name}
      value={value}
    >
      {children}
    </button>
  );
}

/** A GOV.UK textarea for longer text (a progress update, an outcome), in the one form pattern. */
export function TextAreaField({
  field,
  label,
  hint,
  rows = 5,
  spellCheck,
  labelSize,
}: {
  field: FieldLike;
  label: ReactNode;
  hint?: ReactNode;
  rows?: number;
  spellCheck?: boolean;
  /** GOV.UK label size, when the label stands in for a heading. */
  labelSize?: "s" | "m" | "l";
}) {
  const error = field.errors?.[0];
  const hintId = `${field.id}-hint`;
  const errorId = `${field.id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const defaultValue = typeof field.initialValue === "string" ? field.initialValue : undefined;
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className={`govuk-label${labelSize ? ` govuk-label--${labelSize}` : ""}`} htmlFor={field.id}>
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
      <textarea
        key={field.key}
        id={field.id}
        name={field.name}
        rows={rows}
        defaultValue={defaultValue}
        required={field.required}
        maxLength={field.maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`}
        spellCheck={spellCheck}
      />
    </div>
  );
}
