/** Start a replay of stored history for your monitors on a pair; its progress; stop = cancel. */
import { useState, type FormEvent } from "react";
import { NumberField, TextField } from "@/components/Field";
import { Alert } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { useStartReplay } from "../api/replay";

export function ReplayPanel({ pairId, label }: { pairId: number; label: string }) {
  const [start, setStart] = useState(() => new Date(Date.now() - 365 * 86400_000).toISOString().slice(0, 10));
  const [end, setEnd] = useState("");
  const [speed, setSpeed] = useState("20");
  const replay = useStartReplay();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    replay.mutate({
      pair: pairId,
      start: new Date(`${start}T00:00:00Z`).toISOString(),
      ...(end ? { end: new Date(`${end}T23:59:59Z`).toISOString() } : {}),
      speed: Number(speed),
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Replay ${label}`}>
      <p className="field-hint">Plays the stored bars from the start date forward as if they were arriving now, for your monitors on {label} only; the data other users see is not changed. Replayed signals are marked “replay”.</p>
      <div className="form-grid">
        <TextField label="Replay from" name="start" type="date" value={start} onChange={(e) => setStart(e.target.value)} error={replay.error} required />
        <TextField label="Replay to" name="end" type="date" value={end} onChange={(e) => setEnd(e.target.value)} error={replay.error} hint="empty: the latest bar" />
        <NumberField label="Speed (bars per second)" name="speed" value={speed} onChange={(e) => setSpeed(e.target.value)} min={0} max={1000} hint="0: as fast as possible" error={replay.error} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={replay.isPending}>
        Start the replay
      </button>
      {replay.error && <Alert error={replay.error} title="Replay not started" hideFields={["start", "end", "speed"]} />}
      {replay.data && <TaskProgress key={replay.data.id} taskId={replay.data.id} label="Replay" />}
    </form>
  );
}
