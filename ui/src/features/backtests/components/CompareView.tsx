/** Two or more backtests side by side: equity (rebased to 100) overlaid, and their metrics. */
import { useQueries } from "@tanstack/react-query";
import { useMemo } from "react";
import { TimeChart, type ChartPaneSpec } from "@/components/charts";
import { Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { backtestOptions, metricsOf, type BacktestDetail } from "../api/backtests";
import { METRIC_ROWS } from "./MetricsCards";
import { points, rebased, times } from "./series";

const name = (r: BacktestDetail) => `#${r.id} ${r.symbol_1}/${r.symbol_2}`;

export function CompareView({ ids }: { ids: number[] }) {
  const queries = useQueries({ queries: ids.map((id) => backtestOptions(id)) });
  const runs = queries.map((q) => q.data).filter((r): r is BacktestDetail => r !== undefined && r.status === "succeeded");
  const loading = queries.some((q) => q.isLoading);
  const error = queries.find((q) => q.error)?.error;
  const panes = useMemo<ChartPaneSpec[]>(
    () => [{ id: "eq", title: "Equity (rebased to 100)", series: runs.map((r) => ({ id: `eq-${r.id}`, title: name(r), data: points(times(r.ts ?? []), rebased(r.equity ?? [])), precision: 1 })) }],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [runs.map((r) => r.id).join(",")],
  );
  return (
    <Panel title={`Compare ${ids.length} backtests`}>
      {loading && <Loading label="Loading the backtests…" />}
      {error && <Alert error={error} title="Could not load a backtest" />}
      {!loading && runs.length < 2 && <p className="muted">Select at least two finished backtests in the list below to compare them.</p>}
      {runs.length >= 2 && (
        <>
          <TimeChart label={`Equity of backtests ${runs.map((r) => r.id).join(", ")} overlaid`} summary={runs.map((r) => `${name(r)}: total return ${String(metricsOf(r).total_return ?? "—")}`).join("; ")} panes={panes} height={360} />
          <div className="table-wrap">
            <table className="table">
              <caption>Metrics side by side</caption>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  {runs.map((r) => (
                    <th key={r.id} scope="col" style={{ textAlign: "right" }}>
                      {name(r)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {METRIC_ROWS.map((m) => (
                  <tr key={m.key}>
                    <th scope="row">{m.label}</th>
                    {runs.map((r) => (
                      <td key={r.id} style={{ textAlign: "right" }}>
                        {m.format(metricsOf(r)[m.key] as number | null | undefined)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
