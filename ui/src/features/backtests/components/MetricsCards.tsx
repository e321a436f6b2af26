/** The metric cards of a backtest (sign and words carry the tone, not colour alone). */
import { MetricCard, MetricGrid, type Tone } from "@/components/MetricCard";
import { formatNumber, formatPercent } from "@/lib/format";
import type { Metrics } from "../api/backtests";

const tone = (v: number | null | undefined): Tone => (v === null || v === undefined ? "neutral" : v > 0 ? "up" : v < 0 ? "down" : "neutral");

export const METRIC_ROWS: Array<{ key: keyof Metrics & string; label: string; format: (v: number | null | undefined) => string; signed?: boolean }> = [
  { key: "total_return", label: "Total return", format: (v) => formatPercent(v ?? null), signed: true },
  { key: "annual_return", label: "Annualised return", format: (v) => formatPercent(v ?? null), signed: true },
  { key: "annual_volatility", label: "Volatility (annual)", format: (v) => formatPercent(v ?? null) },
  { key: "sharpe", label: "Sharpe", format: (v) => formatNumber(v ?? null, 2), signed: true },
  { key: "sortino", label: "Sortino", format: (v) => formatNumber(v ?? null, 2), signed: true },
  { key: "max_drawdown", label: "Max drawdown", format: (v) => formatPercent(v ?? null) },
  { key: "calmar", label: "Calmar", format: (v) => formatNumber(v ?? null, 2), signed: true },
  { key: "hit_rate", label: "Hit rate", format: (v) => formatPercent(v ?? null) },
  { key: "turnover", label: "Turnover (per year)", format: (v) => formatNumber(v ?? null, 1) },
  { key: "exposure", label: "Exposure", format: (v) => formatPercent(v ?? null) },
  { key: "n_trades", label: "Trades", format: (v) => formatNumber(v ?? null, 0) },
  { key: "total_costs", label: "Costs", format: (v) => formatNumber(v ?? null, 2) },
];

export function MetricsCards({ metrics }: { metrics: Metrics }) {
  return (
    <MetricGrid label="Metrics">
      {METRIC_ROWS.map((m) => {
        const v = metrics[m.key] as number | null | undefined;
        return <MetricCard key={m.key} label={m.label} value={m.format(v)} tone={m.signed ? tone(v) : m.key === "max_drawdown" && v ? "down" : "neutral"} />;
      })}
    </MetricGrid>
  );
}
