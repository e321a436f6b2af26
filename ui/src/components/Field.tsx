/**
 * Form fields that show their own error from a problem+json answer: pass the request's
 * error (an ApiError or anything) and the field's name as the server spells it.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { ApiError } from "@/lib/api";

/** The message for `name` in `error` (ApiError field errors), or undefined. */
export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(name) : undefined;
}

interface Common {
  label: ReactNode;
  name: string;
  /** The request's error; its `errors[name]` is shown under the field. */
  error?: unknown;
  hint?: ReactNode;
}

function FieldShell({ id, label, hint, message, children }: { id: string; label: ReactNode; hint?: ReactNode; message?: string; children: ReactNode }) {
  return (
    <div className={`field ${message ? "field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {message && (
        <div className="field-error" id={`${id}-error`} role="alert">
          {message}
        </div>
      )}
    </div>
  );
}

function describedBy(id: string, hint: unknown, message: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export type TextFieldProps = Common & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;

export function TextField({ label, name, error, hint, id, ...input }: TextFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const message = fieldError(error, name);
  return (
    <FieldShell id={fid} label={label} hint={hint} message={message}>
      <input id={fid} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(fid, hint, message)} {...input} />
    </FieldShell>
  );
}

export function NumberField(props: TextFieldProps) {
  return <TextField type="number" inputMode="decimal" step="any" {...props} />;
}

export type SelectFieldProps = Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name"> & { options: Array<{ value: string; label: string }> };

export function SelectField({ label, name, error, hint, id, options, ...select }: SelectFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const message = fieldError(error, name);
  return (
    <FieldShell id={fid} label={label} hint={hint} message={message}>
      <select id={fid} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(fid, hint, message)} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export type TextAreaFieldProps = Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">;

export function TextAreaField({ label, name, error, hint, id, ...area }: TextAreaFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const message = fieldError(error, name);
  return (
    <FieldShell id={fid} label={label} hint={hint} message={message}>
      <textarea id={fid} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(fid, hint, message)} {...area} />
    </FieldShell>
  );
}

export function CheckboxField({ label, name, error, hint, id, ...input }: TextFieldProps) {
  const auto = useId();
  const fid = id ?? auto;
  const message = fieldError(error, name);
  return (
    <div className={`field field-checkbox ${message ? "field-invalid" : ""}`}>
      <input id={fid} type="checkbox" name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(fid, hint, message)} {...input} />
      <label htmlFor={fid}>{label}</label>
      {hint && (
        <div className="field-hint" id={`${fid}-hint`}>
          {hint}
        </div>
      )}
      {message && (
        <div className="field-error" id={`${fid}-error`} role="alert">
          {message}
        </div>
      )}
    </div>
  );
}
