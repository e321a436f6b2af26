/** One headline number with its label; the tone is also given as a sign/word, not colour only. */
import type { ReactNode } from "react";

export type Tone = "up" | "down" | "neutral" | "warning";

export function MetricCard({ label, value, hint, tone = "neutral" }: { label: string; value: ReactNode; hint?: ReactNode; tone?: Tone }) {
  const mark = tone === "up" ? "▲" : tone === "down" ? "▼" : tone === "warning" ? "!" : "";
  return (
    <div className={`metric-card tone-${tone}`} role="group" aria-label={label}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">
        {mark && (
          <span className="metric-mark" aria-hidden="true">
            {mark}{" "}
          </span>
        )}
        {value}
      </div>
      {hint && <div className="metric-hint">{hint}</div>}
    </div>
  );
}

export function MetricGrid({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <div className="metric-grid" role={label ? "region" : undefined} aria-label={label}>
      {children}
    </div>
  );
}
