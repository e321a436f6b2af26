/** The walk-forward form: universe, window, fold layout, grid, objective, costs. */
import { useEffect, useState, type FormEvent } from "react";
import { NumberField, SelectField, TextField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { ApiError } from "@/lib/api";
import type { WalkForwardBody } from "../api/walkforward";
import { buildBody, DEFAULT_VALUES, validate, type WalkForwardFormValues } from "./body";

const OBJECTIVES = ["sharpe", "sortino", "calmar"];

export function WalkForwardForm({ symbols, submitting, error, onSubmit }: { symbols: string; submitting: boolean; error: unknown; onSubmit: (b: WalkForwardBody) => void }) {
  const [values, setValues] = useState<WalkForwardFormValues>({ ...DEFAULT_VALUES, symbols });
  const [clientError, setClientError] = useState<ApiError | null>(null);
  useEffect(() => setValues((v) => (v.symbols ? v : { ...v, symbols })), [symbols]);
  const set = <K extends keyof WalkForwardFormValues>(k: K, value: WalkForwardFormValues[K]) => setValues((v) => ({ ...v, [k]: value }));
  const shown = clientError ?? error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = validate(values);
    if (Object.keys(errors).length) return setClientError(new ApiError({ status: 400, title: "Check the form", errors }));
    setClientError(null);
    onSubmit(buildBody(values));
  };
  const names = ["symbols", "start", "end", "timeframe", "config.train_bars", "config.test_bars", "config.n_folds", "config.embargo", "config.window", "config.top_k", "config.objective", "config.grid.lookback", "config.grid.entry_z", "config.pbo_splits", "costs.cost_bps", "costs.slippage_bps", "capital"];
  return (
    <form className="form" onSubmit={submit} aria-label="Walk-forward" noValidate>
      <fieldset className="form-grid">
        <legend>Universe and window</legend>
        <TextField label="Symbols" name="symbols" error={shown} value={values.symbols} onChange={(e) => set("symbols", e.target.value)} hint="comma-separated; blank: every symbol with bars" />
        <TextField label="Start (UTC date)" name="start" type="date" error={shown} value={values.start} onChange={(e) => set("start", e.target.value)} />
        <TextField label="End (UTC date)" name="end" type="date" error={shown} value={values.end} onChange={(e) => set("end", e.target.value)} />
        <SelectField label="Timeframe" name="timeframe" error={shown} value={values.timeframe} onChange={(e) => set("timeframe", e.target.value as WalkForwardFormValues["timeframe"])} options={[{ value: "1d", label: "1 day" }, { value: "1h", label: "1 hour" }]} />
      </fieldset>
      <fieldset className="form-grid">
        <legend>Folds</legend>
        <NumberField label="Train bars" name="config.train_bars" min={10} step={1} error={shown} value={values.train_bars} onChange={(e) => set("train_bars", e.target.value)} />
        <NumberField label="Test bars" name="config.test_bars" min={1} step={1} error={shown} value={values.test_bars} onChange={(e) => set("test_bars", e.target.value)} />
        <NumberField label="Folds" name="config.n_folds" min={1} step={1} error={shown} value={values.n_folds} onChange={(e) => set("n_folds", e.target.value)} hint="blank: every test window that fits" />
        <NumberField label="Embargo (bars)" name="config.embargo" min={0} step={1} error={shown} value={values.embargo} onChange={(e) => set("embargo", e.target.value)} hint="gap between train and test" />
        <SelectField label="Train window" name="config.window" error={shown} value={values.window} onChange={(e) => set("window", e.target.value as WalkForwardFormValues["window"])} options={[{ value: "rolling", label: "Rolling" }, { value: "anchored", label: "Anchored (expanding)" }]} />
        <NumberField label="Pairs per fold (top k)" name="config.top_k" min={1} step={1} error={shown} value={values.top_k} onChange={(e) => set("top_k", e.target.value)} />
      </fieldset>
      <fieldset className="form-grid">
        <legend>Optimisation per fold</legend>
        <TextField label="Lookback grid" name="config.grid.lookback" error={shown} value={values.grid_lookback} onChange={(e) => set("grid_lookback", e.target.value)} hint="e.g. 40, 60, 90" />
        <TextField label="Entry |z| grid" name="config.grid.entry_z" error={shown} value={values.grid_entry_z} onChange={(e) => set("grid_entry_z", e.target.value)} hint="e.g. 1.5, 2, 2.5" />
        <SelectField label="Objective" name="config.objective" error={shown} value={values.objective} onChange={(e) => set("objective", e.target.value)} options={OBJECTIVES.map((o) => ({ value: o, label: o }))} />
        <NumberField label="PBO splits" name="config.pbo_splits" min={0} max={64} step={1} error={shown} value={values.pbo_splits} onChange={(e) => set("pbo_splits", e.target.value)} hint="0: no PBO" />
        <NumberField label="Commission (bps)" name="costs.cost_bps" min={0} error={shown} value={values.cost_bps} onChange={(e) => set("cost_bps", e.target.value)} hint="blank: your preference" />
        <NumberField label="Capital" name="capital" min={1} error={shown} value={values.capital} onChange={(e) => set("capital", e.target.value)} hint="blank: your preference" />
      </fieldset>
      {shown !== null && shown !== undefined && <Alert error={shown} title="The walk-forward was not started" hideFields={names} />}
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? "Starting…" : "Run walk-forward"}
      </button>
    </form>
  );
}
