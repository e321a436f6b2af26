/** The trades of a backtest as a sortable table. */
import { Table, type Column } from "@/components/Table";
import { formatNumber, formatPercent, formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import type { Trade } from "../api/backtests";

type Row = Trade & { n: number };

export function TradesTable({ trades, ts }: { trades: readonly Trade[]; ts: readonly string[] }) {
  const { time } = useDisplayPrefs();
  const rows: Row[] = trades.map((t, i) => ({ ...t, n: i + 1 }));
  const columns: Array<Column<Row>> = [
    { key: "n", header: "#", sortValue: (r) => r.n, align: "right" },
    { key: "side", header: "Side", render: (r) => (r.side === "short" ? "▼ short" : "▲ long"), sortValue: (r) => r.side },
    { key: "entry", header: "Entry", render: (r) => formatTime(ts[r.entry_bar], time, false), sortValue: (r) => r.entry_bar },
    { key: "exit", header: "Exit", render: (r) => (r.exit_bar === null ? "open" : formatTime(ts[r.exit_bar], time, false)), sortValue: (r) => r.exit_bar },
    { key: "reason", header: "Reason", sortValue: (r) => r.reason },
    { key: "holding", header: "Bars held", render: (r) => String(r.holding_bars), sortValue: (r) => r.holding_bars, align: "right" },
    { key: "pnl", header: "Net P&L", render: (r) => formatNumber(r.net_pnl, 2), sortValue: (r) => r.net_pnl, align: "right" },
    { key: "ret", header: "Return", render: (r) => formatPercent(r.trade_return, 2), sortValue: (r) => r.trade_return, align: "right" },
  ];
  return (
    <Table
      caption={`Trades (${trades.length})`}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.n}
      maxHeight={360}
      empty={<p className="muted">No trade was opened: lower the entry threshold or use a longer window.</p>}
    />
  );
}
