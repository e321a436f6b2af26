/** The scan form: symbols (or all), window, timeframe, significance, FDR, filters. */
import { useState, type FormEvent } from "react";
import { CheckboxField, NumberField, SelectField, TextField } from "@/components/Field";
import type { ScanInput } from "../api/scan";

export interface ScanFormValues {
  all: boolean;
  symbols: string;
  start: string;
  end: string;
  timeframe: string;
  significance: string;
  fdr: string;
  minCorrelation: string;
  maxHalfLife: string;
}

export const defaultScanValues: ScanFormValues = { all: true, symbols: "", start: "", end: "", timeframe: "1d", significance: "0.05", fdr: "0.05", minCorrelation: "", maxHalfLife: "" };

/** The request body (only documented fields; empty optional fields left out). */
export function scanBody(v: ScanFormValues, symbols: string[]): ScanInput {
  const body: ScanInput = {
    symbols,
    timeframe: v.timeframe as ScanInput["timeframe"],
    significance_level: Number(v.significance),
    fdr: v.fdr === "" ? null : Number(v.fdr),
  } as ScanInput;
  if (v.start) body.start = new Date(`${v.start}T00:00:00Z`).toISOString();
  if (v.end) body.end = new Date(`${v.end}T23:59:59Z`).toISOString();
  if (v.minCorrelation !== "") body.min_correlation = Number(v.minCorrelation);
  if (v.maxHalfLife !== "") body.max_half_life = Number(v.maxHalfLife);
  return body;
}

export function ScanForm({ onSubmit, error, busy }: { onSubmit: (v: ScanFormValues) => void; error: unknown; busy: boolean }) {
  const [v, setV] = useState<ScanFormValues>(defaultScanValues);
  const [local, setLocal] = useState<string | null>(null);
  const set = (k: keyof ScanFormValues) => (e: { target: { value: string; checked?: boolean; type?: string } }) =>
    setV((old) => ({ ...old, [k]: e.target.type === "checkbox" ? Boolean(e.target.checked) : e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!v.all && v.symbols.split(/[\s,]+/).filter(Boolean).length < 2) {
      setLocal("Name at least two symbols, or scan all.");
      return;
    }
    setLocal(null);
    onSubmit(v);
  };
  return (
    <form onSubmit={submit} aria-label="Scan settings" noValidate>
      <div className="form-grid">
        <CheckboxField label="All symbols of the universe" name="all" checked={v.all} onChange={set("all")} />
        <TextField label="Symbols" name="symbols" value={v.symbols} onChange={set("symbols")} disabled={v.all} placeholder="KO PEP XOM CVX" hint="comma or space separated" error={error} />
        <TextField label="Window start" name="start" type="date" value={v.start} onChange={set("start")} error={error} />
        <TextField label="Window end" name="end" type="date" value={v.end} onChange={set("end")} error={error} />
        <SelectField label="Timeframe" name="timeframe" value={v.timeframe} onChange={set("timeframe")} options={["1d", "1h", "15m", "5m", "1m"].map((t) => ({ value: t, label: t }))} error={error} />
        <NumberField label="Significance (p <)" name="significance_level" value={v.significance} onChange={set("significance")} min={0} max={1} error={error} />
        <NumberField label="FDR (BH q)" name="fdr" value={v.fdr} onChange={set("fdr")} min={0} max={0.5} hint="empty: no FDR control" error={error} />
        <NumberField label="Minimum correlation" name="min_correlation" value={v.minCorrelation} onChange={set("minCorrelation")} min={-1} max={1} error={error} />
        <NumberField label="Maximum half-life (bars)" name="max_half_life" value={v.maxHalfLife} onChange={set("maxHalfLife")} min={0} error={error} />
      </div>
      {local && (
        <div role="alert" className="field-error">
          {local}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? "Scanning…" : "Run the scan"}
      </button>
    </form>
  );
}
