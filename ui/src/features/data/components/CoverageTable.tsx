/** The universe's coverage: one row per symbol and timeframe; a row opens its quality report. */
import { useMemo, useState } from "react";
import { EmptyState } from "@/components/EmptyState";
import { TextField } from "@/components/Field";
import { Table, type Column } from "@/components/Table";
import { formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import type { Coverage } from "../api/coverage";

export function CoverageTable({ rows, onOpen }: { rows: Coverage[]; onOpen: (row: Coverage) => void }) {
  const { time: timeMode } = useDisplayPrefs();
  const [filter, setFilter] = useState("");
  const columns = useMemo<Array<Column<Coverage>>>(
    () => [
      { key: "symbol", header: "Symbol", sortValue: (r) => r.symbol },
      { key: "timeframe", header: "Timeframe", sortValue: (r) => r.timeframe },
      { key: "first", header: "First bar", sortValue: (r) => r.first, render: (r) => formatTime(r.first, timeMode, false) },
      { key: "last", header: "Last bar", sortValue: (r) => r.last, render: (r) => formatTime(r.last, timeMode, false) },
      { key: "count", header: "Bars", sortValue: (r) => r.count, align: "right", render: (r) => r.count.toLocaleString("en-US") },
    ],
    [timeMode],
  );
  const needle = filter.trim().toUpperCase();
  const shown = needle ? rows.filter((r) => r.symbol.toUpperCase().includes(needle)) : rows;
  if (rows.length === 0)
    return (
      <EmptyState title="No bars stored yet">
        Upload a CSV or Parquet file below, or fetch from a provider, to build the universe.
      </EmptyState>
    );
  return (
    <>
      <div className="form-grid">
        <TextField label="Filter symbols" name="filter" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="KO" />
      </div>
      <Table
        caption={`Coverage: ${shown.length} series`}
        columns={columns}
        rows={shown}
        rowKey={(r) => `${r.symbol}:${r.timeframe}`}
        initialSort={{ key: "symbol", dir: "asc" }}
        onRowClick={onOpen}
        rowLabel={(r) => `Quality report of ${r.symbol} ${r.timeframe}`}
        maxHeight={360}
        empty={<EmptyState title="No symbol matches the filter">Clear the filter to see every series.</EmptyState>}
      />
      <p className="field-hint">Select a row (click or Enter) for its quality report: gaps, stale runs and outliers.</p>
    </>
  );
}
