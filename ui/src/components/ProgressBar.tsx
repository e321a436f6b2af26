/** A progress bar with its percentage in text (colour is not the only carrier). */
export function ProgressBar({ value, label, status }: { value: number | null | undefined; label: string; status?: string }) {
  const pct = value === null || value === undefined ? null : Math.max(0, Math.min(100, value <= 1 ? value * 100 : value));
  const text = pct === null ? "waiting" : `${Math.round(pct)}%`;
  return (
    <div className={`progress ${status ? `progress-${status}` : ""}`}>
      <div className="progress-label">
        <span>{label}</span>
        <span className="progress-value">
          {text}
          {status ? ` · ${status}` : ""}
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct === null ? undefined : Math.round(pct)}
        aria-valuetext={status ? `${text}, ${status}` : text}
      >
        <div className="progress-fill" style={{ width: `${pct ?? 0}%` }} />
      </div>
    </div>
  );
}
