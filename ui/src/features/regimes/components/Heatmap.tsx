/**
 * Parameter-stability heatmap of the objective over entry_z × lookback: a CSS grid of
 * focusable cells (value on hover and focus), a colour-blind-safe sequential palette
 * (viridis) with a legend, the value printed in each cell, and a table fallback for
 * screen readers.
 */
import { useState } from "react";
import { formatNumber } from "@/lib/format";
import type { GridRow } from "../api/optimize";

const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];

export function colourFor(t: number): string {
  const i = Math.max(0, Math.min(VIRIDIS.length - 1, Math.floor(t * VIRIDIS.length)));
  return VIRIDIS[i]!;
}

/** Black or white, whichever contrasts more with the hex background (WCAG luminance). */
export function textColourOn(hex: string): string {
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? "#000" : "#fff";
}

export interface HeatCell {
  lookback: number;
  entry_z: number;
  score: number | null;
  n_trades?: number;
}

/** The best score per (entry_z, lookback) over the other axes. */
export function heatCells(rows: readonly GridRow[]): { lookbacks: number[]; entries: number[]; cells: Map<string, HeatCell> } {
  const cells = new Map<string, HeatCell>();
  for (const r of rows) {
    const key = `${r.entry_z}|${r.lookback}`;
    const prev = cells.get(key);
    if (!prev || (r.score ?? -Infinity) > (prev.score ?? -Infinity)) cells.set(key, { lookback: r.lookback, entry_z: r.entry_z, score: r.score, n_trades: r.n_trades });
  }
  const lookbacks = [...new Set(rows.map((r) => r.lookback))].sort((a, b) => a - b);
  const entries = [...new Set(rows.map((r) => r.entry_z))].sort((a, b) => a - b);
  return { lookbacks, entries, cells };
}

export function Heatmap({ rows, objective }: { rows: readonly GridRow[]; objective: string }) {
  const { lookbacks, entries, cells } = heatCells(rows);
  const scores = [...cells.values()].map((c) => c.score).filter((s): s is number => s !== null && Number.isFinite(s));
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const t = (s: number) => (hi > lo ? (s - lo) / (hi - lo) : 0.5);
  const [focus, setFocus] = useState<HeatCell | null>(null);
  if (!scores.length) return <p className="muted">No candidate met the minimum number of trades: widen the window or lower min trades.</p>;
  return (
    <div className="heatmap-wrap">
      <div className="heatmap" style={{ gridTemplateColumns: `5.5rem repeat(${lookbacks.length}, minmax(3.5rem, 1fr))` }} role="group" aria-label={`Heatmap of ${objective} by entry_z and lookback`}>
        <div className="heatmap-corner" aria-hidden="true">entry_z ↓ lookback →</div>
        {lookbacks.map((l) => (
          <div key={l} className="heatmap-head" aria-hidden="true">
            {l}
          </div>
        ))}
        {[...entries].reverse().map((e) => (
          <div key={e} className="heatmap-row">
            <div className="heatmap-head" aria-hidden="true">
              {e}
            </div>
            {lookbacks.map((l) => {
              const c = cells.get(`${e}|${l}`);
              const s = c?.score;
              const ok = s !== null && s !== undefined && Number.isFinite(s);
              const bg = ok ? colourFor(t(s)) : "transparent";
              return (
                <button
                  type="button"
                  key={l}
                  className={`heatmap-cell ${ok ? "" : "heatmap-empty"}`}
                  style={{ background: bg, color: ok ? textColourOn(bg) : "#fff" }}
                  // The name carries the value as shown (axe: visible text in the accessible name);
                  // the focus line below gives 3 digits.
                  aria-label={`entry_z ${e}, lookback ${l}: ${objective} ${ok ? formatNumber(s, 2) : "n/a"}`}
                  onMouseEnter={() => setFocus(c ?? { lookback: l, entry_z: e, score: null })}
                  onFocus={() => setFocus(c ?? { lookback: l, entry_z: e, score: null })}
                >
                  {ok ? formatNumber(s, 2) : "—"}
                </button>
              );
            })}
          </div>
        ))}
      </div>
      <div className="heatmap-legend" aria-hidden="true">
        <span>{formatNumber(lo, 2)}</span>
        <span className="heatmap-scale" style={{ background: `linear-gradient(to right, ${VIRIDIS.join(",")})` }} />
        <span>{formatNumber(hi, 2)}</span>
        <span className="muted">{objective} (— : not in the top rows or too few trades)</span>
      </div>
      <p className="heatmap-focus" aria-live="polite">
        {focus ? `entry_z ${focus.entry_z}, lookback ${focus.lookback}: ${objective} ${focus.score === null ? "n/a" : formatNumber(focus.score, 3)}${focus.n_trades !== undefined ? `, ${focus.n_trades} trades` : ""}` : "Hover or focus a cell for its value."}
      </p>
      <table className="visually-hidden">
        <caption>{`Objective ${objective} by entry_z (rows) and lookback (columns)`}</caption>
        <thead>
          <tr>
            <th scope="col">entry_z</th>
            {lookbacks.map((l) => (
              <th key={l} scope="col">{`lookback ${l}`}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e}>
              <th scope="row">{e}</th>
              {lookbacks.map((l) => {
                const s = cells.get(`${e}|${l}`)?.score;
                return <td key={l}>{s === null || s === undefined ? "n/a" : formatNumber(s, 3)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
