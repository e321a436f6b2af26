/** Create a monitor from one of your pairs and a parameter set (or adaptive, per regime). */
import { useState, type FormEvent } from "react";
import { CheckboxField, SelectField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { EmptyState } from "@/components/EmptyState";
import { Link } from "react-router";
import { useCreateMonitor } from "../api/monitors";
import { useParameterSets, usePairs } from "../api/pairs";

export function MonitorForm() {
  const pairs = usePairs();
  const [pair, setPair] = useState<number | null>(null);
  const [paramSet, setParamSet] = useState<string>("");
  const [adaptive, setAdaptive] = useState(false);
  const chosen = pair ?? pairs.data?.results[0]?.id ?? null;
  const sets = useParameterSets(chosen);
  const create = useCreateMonitor();
  const firstSet = sets.data?.results[0]?.id;
  const effectiveSet = paramSet || (firstSet !== undefined ? String(firstSet) : "");

  if (pairs.data && pairs.data.results.length === 0)
    return (
      <EmptyState title="No pair to watch yet" action={<Link className="btn" to="/scanner">Open the scanner</Link>}>
        Run a scan (or analyze a pair) first: a monitor watches one of your pairs.
      </EmptyState>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen === null) return;
    create.mutate({ pair: chosen, adaptive, active: true, ...(effectiveSet ? { parameter_set: Number(effectiveSet) } : {}) });
  };
  return (
    <form onSubmit={submit} aria-label="New monitor">
      <div className="form-grid">
        <SelectField
          label="Pair"
          name="pair"
          value={chosen === null ? "" : String(chosen)}
          onChange={(e) => {
            setPair(Number(e.target.value));
            setParamSet("");
          }}
          options={(pairs.data?.results ?? []).map((p) => ({ value: String(p.id), label: `${p.symbol_1} / ${p.symbol_2} (${p.timeframe ?? "1d"})` }))}
          error={create.error}
        />
        <SelectField
          label="Parameter set"
          name="parameter_set"
          value={effectiveSet}
          onChange={(e) => setParamSet(e.target.value)}
          options={[
            ...(adaptive || !sets.data?.results.length ? [{ value: "", label: adaptive ? "Per regime (no fallback)" : "— none: create one on the Regimes page —" }] : []),
            ...(sets.data?.results ?? []).map((s) => ({ value: String(s.id), label: `#${s.id} ${s.name || ""} lookback ${s.lookback}, entry ${s.entry_z}, exit ${s.exit_z}`.replace(/\s+/g, " ") })),
          ]}
          error={create.error}
        />
        <CheckboxField label="Adaptive (switch parameter sets with the regime)" name="adaptive" checked={adaptive} onChange={(e) => setAdaptive(e.target.checked)} error={create.error} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={create.isPending || chosen === null}>
        {create.isPending ? "Warming up…" : "Create the monitor"}
      </button>
      {create.error && <Alert error={create.error} title="Monitor not created" hideFields={["pair", "parameter_set", "adaptive"]} />}
    </form>
  );
}
