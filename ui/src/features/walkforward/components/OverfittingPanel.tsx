/** WFE, deflated Sharpe, PBO and the number of trials, each with what it means in one line. */
import { MetricCard, MetricGrid } from "@/components/MetricCard";
import { Panel } from "@/components/Page";
import { formatNumber, formatPercent } from "@/lib/format";
import type { WalkForwardMetrics } from "../api/walkforward";

export function OverfittingPanel({ metrics }: { metrics: WalkForwardMetrics }) {
  const { wfe, deflated_sharpe: dsr, pbo, n_trials: trials, expected_max_sharpe: ems } = metrics;
  const has = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  return (
    <Panel title="Overfitting" className="overfit">
      <MetricGrid label="Overfitting measures">
        <MetricCard
          label="Walk-forward efficiency (WFE)"
          value={has(wfe) ? formatNumber(wfe, 2) : "—"}
          tone={has(wfe) ? (wfe >= 0.5 ? "up" : "warning") : "neutral"}
          hint="Out-of-sample Sharpe ÷ in-sample Sharpe: near 1 the edge survives new data; below 0.5 most of it was fitted noise."
        />
        <MetricCard
          label="Deflated Sharpe ratio"
          value={has(dsr) ? formatPercent(dsr, 0) : "—"}
          tone={has(dsr) ? (dsr >= 0.95 ? "up" : "warning") : "neutral"}
          hint={`Probability the true Sharpe is above zero after allowing for ${has(trials) ? trials : "the"} trials tried${has(ems) ? ` (best of that many by luck ≈ ${formatNumber(ems, 2)})` : ""}: want ≥ 95%.`}
        />
        <MetricCard
          label="Probability of backtest overfitting (PBO)"
          value={has(pbo) ? formatPercent(pbo, 0) : "—"}
          tone={has(pbo) ? (pbo <= 0.5 ? "up" : "down") : "neutral"}
          hint="How often the in-sample best parameter set ranks in the bottom half out of sample: above 50% the selection is worse than a coin flip."
        />
        <MetricCard label="Trials" value={has(trials) ? formatNumber(trials, 0) : "—"} hint="Parameter combinations tried across the folds: the more trials, the higher the Sharpe luck alone produces." />
      </MetricGrid>
    </Panel>
  );
}
