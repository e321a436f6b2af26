/** The scan's pairs: sortable, filterable, windowed (5,000 rows stay fast); a row opens the pair. */
import "./scanner.css";
import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { CheckboxField, NumberField, TextField } from "@/components/Field";
import { Table, type Column } from "@/components/Table";
import { formatNumber, formatPValue } from "@/lib/format";
import type { ScanPair } from "../api/scanResults";

export function passesFdr(p: ScanPair, fdr: number | null): boolean | null {
  if (fdr === null) return null;
  if (p.qvalue === null || p.qvalue === undefined) return null;
  return p.qvalue <= fdr;
}

function FdrFlag({ pass }: { pass: boolean | null }) {
  if (pass === null) return <span className="muted">n/a</span>;
  return pass ? (
    <span className="flag flag-pass">
      <span aria-hidden="true">✓ </span>passes
    </span>
  ) : (
    <span className="flag flag-fail">
      <span aria-hidden="true">✗ </span>fails
    </span>
  );
}

export function ScanResults({ rows, fdr }: { rows: ScanPair[]; fdr: number | null }) {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [onlyFdr, setOnlyFdr] = useState(false);
  const [maxP, setMaxP] = useState("");
  const columns = useMemo<Array<Column<ScanPair>>>(
    () => [
      { key: "pair", header: "Pair", sortValue: (r) => `${r.symbol_1}/${r.symbol_2}`, render: (r) => `${r.symbol_1} / ${r.symbol_2}` },
      { key: "pvalue", header: "p-value", sortValue: (r) => r.pvalue, align: "right", render: (r) => formatPValue(r.pvalue) },
      { key: "qvalue", header: "BH q-value", sortValue: (r) => r.qvalue, align: "right", render: (r) => formatPValue(r.qvalue) },
      { key: "fdr", header: "FDR", label: "FDR flag", sortValue: (r) => (passesFdr(r, fdr) ? 1 : 0), render: (r) => <FdrFlag pass={passesFdr(r, fdr)} /> },
      { key: "hedge_ratio", header: "Hedge ratio", sortValue: (r) => r.hedge_ratio, align: "right", render: (r) => formatNumber(r.hedge_ratio, 3) },
      { key: "half_life", header: "Half-life", sortValue: (r) => r.half_life, align: "right", render: (r) => formatNumber(r.half_life, 1) },
      { key: "correlation", header: "Correlation", sortValue: (r) => r.correlation, align: "right", render: (r) => formatNumber(r.correlation, 3) },
      { key: "hurst", header: "Hurst", sortValue: (r) => r.hurst, align: "right", render: (r) => formatNumber(r.hurst, 3) },
      { key: "stability_score", header: "Stability", sortValue: (r) => r.stability_score, align: "right", render: (r) => formatNumber(r.stability_score, 2) },
    ],
    [fdr],
  );
  const filtered = useMemo(() => {
    const needle = text.trim().toUpperCase();
    const limit = maxP === "" ? null : Number(maxP);
    return rows.filter(
      (r) =>
        (!needle || r.symbol_1.toUpperCase().includes(needle) || r.symbol_2.toUpperCase().includes(needle)) &&
        (!onlyFdr || passesFdr(r, fdr) === true) &&
        (limit === null || (r.pvalue ?? 1) <= limit),
    );
  }, [rows, text, onlyFdr, maxP, fdr]);

  if (rows.length === 0)
    return (
      <EmptyState title="No pair passed the filters">
        Widen the window, raise the significance level or the maximum half-life, or scan more symbols.
      </EmptyState>
    );
  return (
    <>
      <div className="form-grid" role="group" aria-label="Filter the results">
        <TextField label="Symbol contains" name="q" value={text} onChange={(e) => setText(e.target.value)} />
        <NumberField label="p-value at most" name="max_p" value={maxP} onChange={(e) => setMaxP(e.target.value)} min={0} max={1} />
        <CheckboxField label="Only pairs passing the FDR" name="only_fdr" checked={onlyFdr} onChange={(e) => setOnlyFdr(e.target.checked)} />
      </div>
      <Table
        caption={`Scan results: ${filtered.length} of ${rows.length} pairs`}
        columns={columns}
        rows={filtered}
        rowKey={(r) => r.id}
        initialSort={{ key: "pvalue", dir: "asc" }}
        onRowClick={(r) => navigate(`/pairs/${r.id}`)}
        rowLabel={(r) => `Open pair ${r.symbol_1} / ${r.symbol_2}`}
        maxHeight={520}
        rowHeight={32}
        empty={<EmptyState title="No pair matches the filters">Clear a filter to see more pairs.</EmptyState>}
      />
    </>
  );
}
