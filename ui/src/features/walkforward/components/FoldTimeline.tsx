/**
 * The fold layout on a time axis: one row per fold with its train window, the embargo gap
 * and its test window as shaded spans (hatched train, solid test: not colour alone), with
 * year ticks. A table of the same dates is the accessible fallback.
 */
import type { Fold } from "../api/walkforward";

const ms = (iso: string) => Date.parse(iso);
const day = (iso: string) => iso.slice(0, 10);

export function FoldTimeline({ folds }: { folds: readonly Fold[] }) {
  if (!folds.length) return null;
  const t0 = Math.min(...folds.map((f) => ms(f.train_start_ts)));
  const t1 = Math.max(...folds.map((f) => ms(f.test_end_ts)));
  const span = Math.max(1, t1 - t0);
  const left = 64;
  const width = 900;
  const rowH = 22;
  const top = 8;
  const height = top + folds.length * rowH + 28;
  const x = (t: number) => left + ((t - t0) / span) * (width - left - 8);
  const years: number[] = [];
  for (let y = new Date(t0).getUTCFullYear() + 1; y <= new Date(t1).getUTCFullYear(); y += 1) years.push(y);
  const step = Math.max(1, Math.ceil(years.length / 12));
  return (
    <figure className="fold-timeline">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="fold-timeline-title" preserveAspectRatio="xMinYMin meet">
        <title id="fold-timeline-title">{`Fold timeline: ${folds.length} folds from ${day(folds[0]!.train_start_ts)} to ${day(folds[folds.length - 1]!.test_end_ts)}`}</title>
        <defs>
          <pattern id="train-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="rgba(41,98,255,0.35)" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="rgba(41,98,255,0.9)" strokeWidth="2" />
          </pattern>
        </defs>
        {years
          .filter((_, i) => i % step === 0)
          .map((y) => {
            const xx = x(Date.UTC(y, 0, 1));
            return (
              <g key={y}>
                <line x1={xx} x2={xx} y1={top} y2={height - 22} className="fold-grid" />
                <text x={xx} y={height - 8} className="fold-tick" textAnchor="middle">
                  {y}
                </text>
              </g>
            );
          })}
        {folds.map((f, i) => {
          const y = top + i * rowH;
          const trainEnd = x(ms(f.train_end_ts));
          const testStart = x(ms(f.test_start_ts));
          return (
            <g key={f.index}>
              <text x={4} y={y + 15} className="fold-label">
                Fold {f.index + 1}
              </text>
              <rect x={x(ms(f.train_start_ts))} y={y + 3} width={Math.max(1, trainEnd - x(ms(f.train_start_ts)))} height={rowH - 6} fill="url(#train-hatch)" />
              {testStart - trainEnd > 0.5 && <rect x={trainEnd} y={y + 8} width={testStart - trainEnd} height={rowH - 16} className="fold-embargo" />}
              <rect x={testStart} y={y + 3} width={Math.max(2, x(ms(f.test_end_ts)) - testStart)} height={rowH - 6} className="fold-test" />
            </g>
          );
        })}
      </svg>
      <figcaption className="fold-legend">
        <span className="legend-swatch legend-train" aria-hidden="true" /> train (hatched) <span className="legend-swatch legend-embargo" aria-hidden="true" /> embargo gap <span className="legend-swatch legend-test" aria-hidden="true" /> test (out of sample)
      </figcaption>
    </figure>
  );
}
