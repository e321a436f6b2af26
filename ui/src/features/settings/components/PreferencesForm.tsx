/** Trading preferences (server-side, PATCH auth/me); errors next to their fields. */
import { useMemo, useState, type FormEvent } from "react";
import { NumberField, SelectField } from "@/components/Field";
import { Notice, Alert } from "@/components/Status";
import { defaultParams, useUpdateMe, type Me, type MePatch } from "@/lib/me";

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const list = all.includes("UTC") ? all : ["UTC", ...all];
  return list.includes(current) ? list : [current, ...list];
}

interface FormState {
  capital: string;
  cost_bps: string;
  slippage_bps: string;
  borrow_rate: string;
  timezone: string;
  lookback: string;
  entry_z: string;
  exit_z: string;
  stop_z: string;
  max_holding: string;
}

function fromMe(me: Me): FormState {
  const p = defaultParams(me);
  return {
    capital: String(me.capital ?? ""),
    cost_bps: String(me.cost_bps ?? ""),
    slippage_bps: String(me.slippage_bps ?? ""),
    borrow_rate: String(me.borrow_rate ?? ""),
    timezone: me.timezone ?? "UTC",
    lookback: String(p.lookback),
    entry_z: String(p.entry_z),
    exit_z: String(p.exit_z),
    stop_z: p.stop_z === null || p.stop_z === undefined ? "" : String(p.stop_z),
    max_holding: p.max_holding === null || p.max_holding === undefined ? "" : String(p.max_holding),
  };
}

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));
const optional = (v: string) => (v.trim() === "" ? null : Number(v));

export function PreferencesForm({ me }: { me: Me }) {
  const [form, setForm] = useState<FormState>(() => fromMe(me));
  const update = useUpdateMe();
  const zones = useMemo(() => timeZones(form.timezone), [form.timezone]);
  const set = (key: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch: MePatch = {
      capital: form.capital.trim(),
      cost_bps: num(form.cost_bps),
      slippage_bps: num(form.slippage_bps),
      borrow_rate: num(form.borrow_rate),
      timezone: form.timezone,
      default_params: {
        lookback: num(form.lookback),
        entry_z: num(form.entry_z),
        exit_z: num(form.exit_z),
        stop_z: optional(form.stop_z),
        max_holding: optional(form.max_holding),
      },
    };
    update.mutate(patch, { onSuccess: (saved) => setForm(fromMe(saved)) });
  };

  const error = update.error;
  return (
    <form className="form" onSubmit={submit} aria-label="Trading preferences" noValidate>
      <fieldset>
        <legend>Capital and costs (the defaults of every backtest)</legend>
        <div className="form-grid">
          <NumberField label="Capital" name="capital" value={form.capital} onChange={set("capital")} error={error} min={0} hint="In the account currency." />
          <NumberField label="Commission (bps)" name="cost_bps" value={form.cost_bps} onChange={set("cost_bps")} error={error} min={0} hint="Per unit of traded weight." />
          <NumberField label="Slippage (bps)" name="slippage_bps" value={form.slippage_bps} onChange={set("slippage_bps")} error={error} min={0} />
          <NumberField label="Borrow rate (annual)" name="borrow_rate" value={form.borrow_rate} onChange={set("borrow_rate")} error={error} min={0} hint="0.02 = 2 % a year on the short leg." />
          <SelectField label="Time zone" name="timezone" value={form.timezone} onChange={set("timezone")} error={error} options={zones.map((z) => ({ value: z, label: z }))} hint="Of your reports; charts follow the display setting below." />
        </div>
      </fieldset>
      <fieldset>
        <legend>Default strategy parameters</legend>
        <div className="form-grid">
          <NumberField label="Lookback (bars)" name="default_params.lookback" value={form.lookback} onChange={set("lookback")} error={error} min={2} step={1} />
          <NumberField label="Entry z" name="default_params.entry_z" value={form.entry_z} onChange={set("entry_z")} error={error} min={0} />
          <NumberField label="Exit z" name="default_params.exit_z" value={form.exit_z} onChange={set("exit_z")} error={error} min={0} hint="Below the entry z." />
          <NumberField label="Stop z" name="default_params.stop_z" value={form.stop_z} onChange={set("stop_z")} error={error} min={0} hint="Above the entry z; empty for no stop." />
          <NumberField label="Max holding (bars)" name="default_params.max_holding" value={form.max_holding} onChange={set("max_holding")} error={error} min={1} step={1} hint="Empty for no limit." />
        </div>
      </fieldset>
      {update.isError && (
        <Alert
          error={error}
          title="The preferences were not saved"
          hideFields={["capital", "cost_bps", "slippage_bps", "borrow_rate", "timezone", "default_params.lookback", "default_params.entry_z", "default_params.exit_z", "default_params.stop_z", "default_params.max_holding"]}
        />
      )}
      {update.isSuccess && <Notice tone="success">Preferences saved.</Notice>}
      <div>
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save preferences"}
        </button>
      </div>
    </form>
  );
}

