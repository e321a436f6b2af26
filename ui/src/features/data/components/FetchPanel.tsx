/** Fetch bars from a provider (a task with live progress). */
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Panel } from "@/components/Page";
import { Alert } from "@/components/Status";
import { SelectField, TextField } from "@/components/Field";
import { TaskProgress } from "@/components/TaskProgress";
import { useTaskProgress } from "@/lib/tasks";
import { useFetchBars, type FetchInput } from "../api/fetchBars";

function Refresh({ taskId }: { taskId: string }) {
  const client = useQueryClient();
  const { status } = useTaskProgress(taskId);
  if (status === "succeeded") void client.invalidateQueries({ queryKey: ["bars", "coverage"] });
  return null;
}

/** The timeframes each provider serves (the API refuses others with a 400 on `timeframe`). */
const PROVIDER_TIMEFRAMES: Record<FetchInput["provider"], Array<NonNullable<FetchInput["timeframe"]>>> = {
  stooq: ["1d"],
  yahoo: ["1m", "5m", "15m", "1h", "1d", "1w", "1mo"],
};

export function FetchPanel() {
  const [provider, setProvider] = useState<FetchInput["provider"]>("stooq");
  const [timeframe, setTimeframe] = useState<NonNullable<FetchInput["timeframe"]>>("1d");
  const [symbols, setSymbols] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const mutation = useFetchBars();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: FetchInput = {
      provider,
      symbols: symbols.split(/[\s,]+/).filter(Boolean),
      timeframe,
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
    };
    mutation.mutate(body);
  };
  return (
    <Panel title="Fetch from a provider">
      <form onSubmit={submit} aria-label="Fetch bars from a provider">
        <div className="form-grid">
          <SelectField
            label="Provider"
            name="provider"
            value={provider}
            onChange={(e) => {
              const next = e.target.value as FetchInput["provider"];
              setProvider(next);
              if (!PROVIDER_TIMEFRAMES[next].includes(timeframe)) setTimeframe("1d");
            }}
            options={[{ value: "stooq", label: "Stooq" }, { value: "yahoo", label: "Yahoo" }]}
            error={mutation.error}
          />
          <SelectField
            label="Timeframe"
            name="timeframe"
            value={timeframe}
            onChange={(e) => setTimeframe(e.target.value as NonNullable<FetchInput["timeframe"]>)}
            options={PROVIDER_TIMEFRAMES[provider].map((t) => ({ value: t, label: t }))}
            hint={provider === "stooq" ? "Stooq serves daily bars only" : undefined}
            error={mutation.error}
          />
          <TextField label="Symbols" name="symbols" value={symbols} onChange={(e) => setSymbols(e.target.value)} placeholder="KO, PEP" hint="comma or space separated" error={mutation.error} />
          <TextField label="From" name="start" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={mutation.error} />
          <TextField label="To" name="end" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={mutation.error} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          Fetch
        </button>
      </form>
      {mutation.error && <Alert error={mutation.error} title="Fetch not started" hideFields={["provider", "timeframe", "symbols", "start", "end"]} />}
      {mutation.data && (
        <>
          <TaskProgress taskId={mutation.data.id} label="Fetching bars" />
          <Refresh taskId={mutation.data.id} />
        </>
      )}
    </Panel>
  );
}
