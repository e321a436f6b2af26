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

export function FetchPanel() {
  const [provider, setProvider] = useState<FetchInput["provider"]>("stooq");
  const [symbols, setSymbols] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const mutation = useFetchBars();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: FetchInput = {
      provider,
      symbols: symbols.split(/[\s,]+/).filter(Boolean),
      timeframe: "1d",
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
    };
    mutation.mutate(body);
  };
  return (
    <Panel title="Fetch from a provider">
      <form onSubmit={submit} aria-label="Fetch bars from a provider">
        <div className="form-grid">
          <SelectField label="Provider" name="provider" value={provider} onChange={(e) => setProvider(e.target.value as FetchInput["provider"])} options={[{ value: "stooq", label: "Stooq" }, { value: "yahoo", label: "Yahoo" }]} error={mutation.error} />
          <TextField label="Symbols" name="symbols" value={symbols} onChange={(e) => setSymbols(e.target.value)} placeholder="KO, PEP" hint="comma or space separated" error={mutation.error} />
          <TextField label="From" name="start" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={mutation.error} />
          <TextField label="To" name="end" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={mutation.error} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          Fetch
        </button>
      </form>
      {mutation.error && <Alert error={mutation.error} title="Fetch not started" hideFields={["provider", "symbols", "start", "end"]} />}
      {mutation.data && (
        <>
          <TaskProgress taskId={mutation.data.id} label="Fetching bars" />
          <Refresh taskId={mutation.data.id} />
        </>
      )}
    </Panel>
  );
}
