/** The parameter sets of a pair (per regime): list, create, edit, delete. */
import { useState, type FormEvent } from "react";
import { NumberField, SelectField, TextField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { Table, type Column } from "@/components/Table";
import { formatNumber } from "@/lib/format";
import { useCreateParameterSet, useDeleteParameterSet, useParameterSets, useUpdateParameterSet, type ParameterSet, type ParameterSetBody } from "../api/parameters";

interface Values {
  name: string;
  regime_method: string;
  regime_label: string;
  lookback: string;
  entry_z: string;
  exit_z: string;
  stop_z: string;
}

const EMPTY: Values = { name: "", regime_method: "", regime_label: "", lookback: "60", entry_z: "2", exit_z: "0.5", stop_z: "4" };

const fromSet = (p: ParameterSet): Values => ({
  name: p.name,
  regime_method: p.regime_method,
  regime_label: p.regime_label === null ? "" : String(p.regime_label),
  lookback: String(p.lookback),
  entry_z: String(p.entry_z),
  exit_z: String(p.exit_z),
  stop_z: p.stop_z === null ? "" : String(p.stop_z),
});

export function toBody(pair: number, v: Values): ParameterSetBody {
  return {
    pair,
    name: v.name,
    regime_method: v.regime_method,
    regime_label: v.regime_label === "" ? null : Number(v.regime_label),
    lookback: Number(v.lookback),
    entry_z: Number(v.entry_z),
    exit_z: Number(v.exit_z),
    stop_z: v.stop_z === "" ? null : Number(v.stop_z),
    hedge: "static",
  };
}

function SetForm({ initial, submitLabel, error, pending, onSubmit, onCancel }: { initial: Values; submitLabel: string; error: unknown; pending: boolean; onSubmit: (v: Values) => void; onCancel?: () => void }) {
  const [v, setV] = useState(initial);
  const set = (k: keyof Values) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(v);
  };
  return (
    <form className="form" onSubmit={submit} aria-label={submitLabel}>
      <div className="form-grid">
        <TextField label="Name" name="name" error={error} value={v.name} onChange={set("name")} />
        <SelectField
          label="Regime method"
          name="regime_method"
          error={error}
          value={v.regime_method}
          onChange={set("regime_method")}
          options={[
            { value: "", label: "Any regime" },
            { value: "volatility", label: "Volatility" },
            { value: "markov", label: "Markov" },
          ]}
        />
        <NumberField label="Regime label" name="regime_label" min={0} max={9} step={1} error={error} value={v.regime_label} onChange={set("regime_label")} hint="0 = calmest" />
        <NumberField label="Lookback" name="lookback" min={2} step={1} error={error} value={v.lookback} onChange={set("lookback")} />
        <NumberField label="Entry |z|" name="entry_z" error={error} value={v.entry_z} onChange={set("entry_z")} />
        <NumberField label="Exit |z|" name="exit_z" error={error} value={v.exit_z} onChange={set("exit_z")} />
        <NumberField label="Stop |z|" name="stop_z" error={error} value={v.stop_z} onChange={set("stop_z")} hint="blank: none" />
      </div>
      {error !== null && error !== undefined && <Alert error={error} title="Not saved" hideFields={Object.keys(EMPTY)} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The regime a set applies to, in words ("any regime", "volatility regime 0 (calmest)"). */
function regimeText(p: ParameterSet): string {
  if (!p.regime_method) return "any regime";
  if (p.regime_label === null) return `${p.regime_method}, any regime`;
  return `${p.regime_method} regime ${p.regime_label}${p.regime_label === 0 ? " (calmest)" : ""}`;
}

export function ParameterSets({ pair }: { pair: number }) {
  const list = useParameterSets(pair);
  const create = useCreateParameterSet();
  const update = useUpdateParameterSet();
  const remove = useDeleteParameterSet();
  const [editing, setEditing] = useState<ParameterSet | null>(null);
  const columns: Array<Column<ParameterSet>> = [
    { key: "name", header: "Name", render: (p) => p.name || `set #${p.id}`, sortValue: (p) => p.name },
    { key: "regime", header: "Regime", render: regimeText, sortValue: (p) => `${p.regime_method}${p.regime_label ?? ""}` },
    { key: "lookback", header: "Lookback (bars)", render: (p) => formatNumber(p.lookback, 0), sortValue: (p) => p.lookback, align: "right" },
    { key: "entry", header: "Entry |z|", render: (p) => formatNumber(p.entry_z, 2), sortValue: (p) => p.entry_z, align: "right" },
    { key: "exit", header: "Exit |z|", render: (p) => formatNumber(p.exit_z, 2), sortValue: (p) => p.exit_z, align: "right" },
    { key: "stop", header: "Stop |z|", render: (p) => (p.stop_z === null ? "none" : formatNumber(p.stop_z, 2)), sortValue: (p) => p.stop_z, align: "right" },
    { key: "source", header: "Source", render: (p) => (p.source === "optimized" ? `optimised: ${p.objective} ${formatNumber(p.score, 2)}` : "manual"), sortValue: (p) => p.source },
    {
      key: "actions",
      header: "Actions",
      render: (p) => (
        <span className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setEditing(p)} aria-label={`Edit ${p.name || `set ${p.id}`}`}>
            Edit
          </button>
          <button type="button" className="btn btn-small btn-danger" onClick={() => remove.mutate(p.id)} aria-label={`Delete ${p.name || `set ${p.id}`}`}>
            Delete
          </button>
        </span>
      ),
    },
  ];
  return (
    <>
      {list.error && <Alert error={list.error} title="Could not load the parameter sets" />}
      {remove.error && <Alert error={remove.error} title="Not deleted" />}
      <div className="param-sets">
      <Table
        caption="Parameter sets of this pair"
        columns={columns}
        rows={list.data?.results ?? []}
        rowKey={(p) => p.id}
        empty={<p className="muted">No parameter set yet: add one below, or run the grid optimisation to store the best.</p>}
      />
      </div>
      <h3 className="param-form-title">{editing ? `Edit ${editing.name || `set ${editing.id}`}` : "Add a parameter set"}</h3>
      {editing ? (
        <SetForm
          key={editing.id}
          initial={fromSet(editing)}
          submitLabel={`Save ${editing.name || `set ${editing.id}`}`}
          error={update.error}
          pending={update.isPending}
          onCancel={() => setEditing(null)}
          onSubmit={(v) => {
            const { pair: _p, ...body } = toBody(pair, v);
            update.mutate({ id: editing.id, body }, { onSuccess: () => setEditing(null) });
          }}
        />
      ) : (
        <SetForm key="new" initial={EMPTY} submitLabel="Add parameter set" error={create.error} pending={create.isPending} onSubmit={(v) => create.mutate(toBody(pair, v))} />
      )}
    </>
  );
}
