/** The backtest form: pair, window, strategy parameters, hedge, costs and capital. */
import { useEffect, useState, type FormEvent } from "react";
import { CheckboxField, NumberField, SelectField, TextField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { ApiError } from "@/lib/api";
import type { Schemas } from "@/lib/api";
import type { BacktestBody } from "../api/backtests";
import type { Me } from "../api/me";
import { buildBody, initialValues, validate, type BacktestFormValues } from "./body";

export interface BacktestFormProps {
  pairs: Array<Schemas["Pair"]>;
  pair: number | null;
  me: Me | undefined;
  submitting: boolean;
  error: unknown;
  onSubmit: (body: BacktestBody) => void;
}

export function BacktestForm({ pairs, pair, me, submitting, error, onSubmit }: BacktestFormProps) {
  const [values, setValues] = useState<BacktestFormValues>(() => initialValues(pair, me));
  const [clientError, setClientError] = useState<ApiError | null>(null);
  const [touched, setTouched] = useState(false);
  // Preferences arrive after the first render: fill them in until the user types.
  useEffect(() => {
    if (!touched) setValues(initialValues(pair, me));
  }, [pair, me, touched]);

  const set = <K extends keyof BacktestFormValues>(key: K, value: BacktestFormValues[K]) => {
    setTouched(true);
    setValues((v) => ({ ...v, [key]: value }));
  };
  const shown = clientError ?? error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = validate(values);
    if (Object.keys(errors).length) {
      setClientError(new ApiError({ status: 400, title: "Check the form", errors }));
      return;
    }
    setClientError(null);
    onSubmit(buildBody(values));
  };
  const pairOptions = [{ value: "", label: pairs.length ? "Choose a pair…" : "No pair stored yet" }, ...pairs.map((p) => ({ value: String(p.id), label: `${p.symbol_1} / ${p.symbol_2} (${p.timeframe})` }))];
  if (pair !== null && !pairs.some((p) => p.id === pair)) pairOptions.push({ value: String(pair), label: `pair #${pair}` });
  const fieldNames = ["pair", "start", "end", "formation_bars", "capital", "params.lookback", "params.entry_z", "params.exit_z", "params.stop_z", "params.max_holding", "params.execution_lag", "params.hedge", "costs.cost_bps", "costs.slippage_bps", "costs.borrow_rate", "adaptive", "regime_method"];
  return (
    <form className="form" onSubmit={submit} aria-label="Backtest" noValidate>
      <fieldset className="form-grid">
        <legend>Pair and window</legend>
        <SelectField label="Pair" name="pair" error={shown} value={values.pair} onChange={(e) => set("pair", e.target.value)} options={pairOptions} required />
        <TextField label="Start (UTC date)" name="start" type="date" error={shown} value={values.start} onChange={(e) => set("start", e.target.value)} hint="blank: from the first bar after formation" />
        <TextField label="End (UTC date)" name="end" type="date" error={shown} value={values.end} onChange={(e) => set("end", e.target.value)} hint="blank: to the last bar" />
        <NumberField label="Formation bars" name="formation_bars" min={30} step={1} error={shown} value={values.formation_bars} onChange={(e) => set("formation_bars", e.target.value)} hint="bars before the first trade for the OLS hedge" />
      </fieldset>
      <fieldset className="form-grid">
        <legend>Strategy</legend>
        <NumberField label="Lookback" name="params.lookback" min={2} step={1} error={shown} value={values.lookback} onChange={(e) => set("lookback", e.target.value)} />
        <NumberField label="Entry |z|" name="params.entry_z" min={0.01} error={shown} value={values.entry_z} onChange={(e) => set("entry_z", e.target.value)} />
        <NumberField label="Exit |z|" name="params.exit_z" min={0} error={shown} value={values.exit_z} onChange={(e) => set("exit_z", e.target.value)} />
        <NumberField label="Stop |z|" name="params.stop_z" min={0.01} error={shown} value={values.stop_z} onChange={(e) => set("stop_z", e.target.value)} hint="blank: no stop" />
        <NumberField label="Max holding (bars)" name="params.max_holding" min={1} step={1} error={shown} value={values.max_holding} onChange={(e) => set("max_holding", e.target.value)} hint="blank: no limit" />
        <NumberField label="Execution lag (bars)" name="params.execution_lag" min={0} step={1} error={shown} value={values.execution_lag} onChange={(e) => set("execution_lag", e.target.value)} />
        <SelectField
          label="Hedge"
          name="params.hedge"
          error={shown}
          value={values.hedge}
          onChange={(e) => set("hedge", e.target.value as BacktestFormValues["hedge"])}
          options={[
            { value: "static", label: "Static (OLS / the pair's β)" },
            { value: "dynamic", label: "Dynamic (causal Kalman)" },
          ]}
        />
        <CheckboxField label="Adaptive: switch parameter sets with the regime" name="adaptive" error={shown} checked={values.adaptive} onChange={(e) => set("adaptive", e.target.checked)} />
        {values.adaptive && (
          <SelectField
            label="Regime method"
            name="regime_method"
            error={shown}
            value={values.regime_method}
            onChange={(e) => set("regime_method", e.target.value as BacktestFormValues["regime_method"])}
            options={[
              { value: "volatility", label: "Volatility" },
              { value: "markov", label: "Markov switching" },
            ]}
          />
        )}
      </fieldset>
      <fieldset className="form-grid">
        <legend>Costs and capital (from your preferences)</legend>
        <NumberField label="Commission (bps)" name="costs.cost_bps" min={0} error={shown} value={values.cost_bps} onChange={(e) => set("cost_bps", e.target.value)} />
        <NumberField label="Slippage (bps)" name="costs.slippage_bps" min={0} error={shown} value={values.slippage_bps} onChange={(e) => set("slippage_bps", e.target.value)} />
        <NumberField label="Borrow rate (annual)" name="costs.borrow_rate" min={0} error={shown} value={values.borrow_rate} onChange={(e) => set("borrow_rate", e.target.value)} />
        <NumberField label="Capital" name="capital" min={1} error={shown} value={values.capital} onChange={(e) => set("capital", e.target.value)} />
      </fieldset>
      {shown !== null && shown !== undefined && <Alert error={shown} title="The backtest was not started" hideFields={fieldNames} />}
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? "Starting…" : "Run backtest"}
      </button>
    </form>
  );
}
