/** An empty state that says what to do next. */
import type { ReactNode } from "react";

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h3>{title}</h3>
      {children && <div className="empty-state-hint">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </section>
  );
}
