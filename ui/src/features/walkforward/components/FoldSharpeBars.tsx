/**
 * In-sample against out-of-sample Sharpe per fold as grouped bars on a value axis with a zero
 * line (a negative Sharpe points down). In sample is hatched, out of sample solid, as in the
 * fold timeline, and each bar carries its value: colour is not the only carrier. The fold
 * table below has the same numbers for screen readers and the keyboard.
 */
import { formatNumber } from "@/lib/format";
import type { Fold } from "../api/walkforward";
import { barAxis } from "./sharpeScale";

const num = (v: number | null | undefined): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function FoldSharpeBars({ folds }: { folds: readonly Fold[] }) {
  if (!folds.length) return null;
  const rows = folds.map((f) => ({ fold: f.index + 1, is: num(f.is_metrics?.sharpe), oos: num(f.oos_metrics?.sharpe) }));
  const axis = barAxis(rows.flatMap((r) => [r.is, r.oos]));
  const width = 900;
  const height = 240;
  const left = 52;
  const right = 12;
  const top = 12;
  const bottom = 30;
  const plotH = height - top - bottom;
  const y = (v: number) => top + ((axis.max - v) / (axis.max - axis.min)) * plotH;
  const group = (width - left - right) / rows.length;
  const barW = Math.min(56, group * 0.32);
  const zero = y(0);
  const title = `Sharpe per fold, in sample and out of sample: ${rows.map((r) => `fold ${r.fold} ${formatNumber(r.is, 2)} in sample, ${formatNumber(r.oos, 2)} out of sample`).join("; ")}`;

  const bar = (v: number | null, x: number, kind: "is" | "oos", fold: number) => {
    if (v === null) return <text key={kind} x={x + barW / 2} y={zero - 6} className="sharpe-value" textAnchor="middle">—</text>;
    const y1 = Math.min(y(v), zero);
    const h = Math.max(1.5, Math.abs(y(v) - zero));
    const labelY = v >= 0 ? y1 - 5 : y1 + h + 13;
    return (
      <g key={kind} data-fold={fold} data-kind={kind}>
        <rect x={x} y={y1} width={barW} height={h} className={kind === "is" ? "sharpe-is" : "sharpe-oos"} fill={kind === "is" ? "url(#sharpe-hatch)" : undefined} />
        <text x={x + barW / 2} y={labelY} className="sharpe-value" textAnchor="middle">
          {formatNumber(v, 2)}
        </text>
      </g>
    );
  };

  return (
    <figure className="fold-sharpe">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="fold-sharpe-title" preserveAspectRatio="xMinYMin meet">
        <title id="fold-sharpe-title">{title}</title>
        <defs>
          <pattern id="sharpe-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="rgba(41,98,255,0.35)" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="rgba(41,98,255,0.95)" strokeWidth="2" />
          </pattern>
        </defs>
        {axis.ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} className={t === 0 ? "sharpe-zero" : "fold-grid"} />
            <text x={left - 6} y={y(t) + 4} className="fold-tick" textAnchor="end">
              {formatNumber(t, Math.abs(t) < 1 && t !== 0 ? 1 : Number.isInteger(t) ? 0 : 1)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const cx = left + group * i + group / 2;
          return (
            <g key={r.fold}>
              {bar(r.is, cx - barW - 3, "is", r.fold)}
              {bar(r.oos, cx + 3, "oos", r.fold)}
              <text x={cx} y={height - 10} className="fold-label" textAnchor="middle">
                Fold {r.fold}
              </text>
            </g>
          );
        })}
        <text x={12} y={top + plotH / 2} className="fold-tick" textAnchor="middle" transform={`rotate(-90 12 ${top + plotH / 2})`}>
          Sharpe
        </text>
      </svg>
      <figcaption className="fold-legend">
        <span className="legend-swatch legend-train" aria-hidden="true" /> in sample (hatched) <span className="legend-swatch legend-test" aria-hidden="true" /> out of sample (solid) · the line across is zero
      </figcaption>
    </figure>
  );
}
