/** Loading (role="status") and error (role="alert") messages. */
import type { ReactNode } from "react";
import { ApiError, errorMessage } from "@/lib/api";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="status status-loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export interface AlertProps {
  /** An error (ApiError: its detail and field errors are listed) or a message. */
  error?: unknown;
  title?: string;
  children?: ReactNode;
  /** Field errors already shown next to their inputs are left out of the list. */
  hideFields?: string[];
  onRetry?: () => void;
}

export function Alert({ error, title, children, hideFields = [], onRetry }: AlertProps) {
  const fields = error instanceof ApiError ? Object.entries(error.errors).filter(([f]) => !hideFields.includes(f)) : [];
  const message = error instanceof ApiError ? error.problem.detail || error.problem.title || error.message : error !== undefined ? errorMessage(error) : null;
  return (
    <div role="alert" className="alert alert-error">
      <strong className="alert-title">{title ?? (error instanceof ApiError ? error.problem.title || "Request failed" : "Error")}</strong>
      {message && <p className="alert-detail">{message}</p>}
      {fields.length > 0 && (
        <ul className="alert-fields">
          {fields.map(([field, reasons]) => (
            <li key={field}>
              <code>{field}</code>: {reasons.join(" ")}
            </li>
          ))}
        </ul>
      )}
      {children}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** A non-error notice (polite live region). */
export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warning" }) {
  return (
    <div role="status" aria-live="polite" className={`alert alert-${tone}`}>
      {children}
    </div>
  );
}
