/** Per fold: windows, pairs, parameters chosen in sample, in- and out-of-sample results. */
import { Table, type Column } from "@/components/Table";
import { formatNumber, formatPercent } from "@/lib/format";
import type { Fold } from "../api/walkforward";

const pairsText = (pairs: unknown[]): string =>
  pairs
    .map((p) => {
      if (Array.isArray(p)) return p.join("/");
      if (p && typeof p === "object") {
        const o = p as Record<string, unknown>;
        return [o.symbol_y ?? o.symbol_1, o.symbol_x ?? o.symbol_2].filter(Boolean).join("/") || JSON.stringify(p);
      }
      return String(p);
    })
    .join(", ") || "none";

/** The fold's parameter set (`fallback`, or the set itself). */
const paramsText = (stored: Record<string, unknown> | null): string => {
  const ps = (stored?.fallback ?? stored) as Record<string, unknown> | null | undefined;
  return ps ? ["lookback", "entry_z", "exit_z"].filter((k) => ps[k] !== undefined).map((k) => `${k} ${String(ps[k])}`).join(", ") : "—";
};

export function FoldTable({ folds }: { folds: readonly Fold[] }) {
  const columns: Array<Column<Fold>> = [
    { key: "fold", header: "Fold", render: (f) => String(f.index + 1), sortValue: (f) => f.index, align: "right" },
    { key: "train", header: "Train", render: (f) => `${f.train_start_ts.slice(0, 10)} → ${f.train_end_ts.slice(0, 10)}` },
    { key: "test", header: "Test", render: (f) => `${f.test_start_ts.slice(0, 10)} → ${f.test_end_ts.slice(0, 10)}`, sortValue: (f) => f.test_start_ts },
    { key: "status", header: "Status", sortValue: (f) => f.status },
    { key: "pairs", header: "Pairs", render: (f) => pairsText(f.pairs) },
    { key: "params", header: "Chosen in sample", render: (f) => paramsText(f.parameter_set) },
    { key: "is", header: "IS Sharpe", render: (f) => formatNumber(f.is_metrics?.sharpe ?? null, 2), sortValue: (f) => f.is_metrics?.sharpe ?? null, align: "right" },
    { key: "oos", header: "OOS Sharpe", render: (f) => formatNumber(f.oos_metrics?.sharpe ?? null, 2), sortValue: (f) => f.oos_metrics?.sharpe ?? null, align: "right" },
    { key: "oosret", header: "OOS return", render: (f) => formatPercent(f.oos_metrics?.total_return ?? null), sortValue: (f) => f.oos_metrics?.total_return ?? null, align: "right" },
    { key: "trades", header: "Trades", render: (f) => String(f.n_trades), sortValue: (f) => f.n_trades, align: "right" },
  ];
  return <Table caption="Folds" columns={columns} rows={[...folds]} rowKey={(f) => f.index} empty={<p className="muted">No fold has finished yet.</p>} />;
}
