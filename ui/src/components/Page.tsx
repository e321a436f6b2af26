/** Page layout pieces: the page header (the h1 and actions) and panels. */
import type { ReactNode } from "react";

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Panel({ title, children, actions, className = "" }: { title?: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`panel ${className}`} aria-label={title}>
      {(title || actions) && (
        <div className="panel-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="panel-actions">{actions}</div>}
        </div>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** A page that is not built yet (only until its feature lands). */
export function PlaceholderPage({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <section className="panel placeholder" aria-label="Being built">
        <h2>This page is being built</h2>
        <p>{what}</p>
        <p>Meanwhile every operation is available in the API docs.</p>
        <a className="btn" href="/api/docs/">
          Open the API docs
        </a>
      </section>
    </>
  );
}
