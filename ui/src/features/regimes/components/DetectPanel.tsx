/** Detect regimes on a pair: volatility (answered at once) or Markov switching (a task). */
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { SelectField, TextField } from "@/components/Field";
import { Alert, Notice } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { isTerminal, useTaskProgress } from "@/lib/tasks";
import { isTask, useDetectRegimes, type DetectBody } from "../api/regimes";

const iso = (d: string) => (d ? new Date(`${d}T00:00:00Z`).toISOString() : undefined);

export function DetectPanel({ pair }: { pair: number }) {
  const client = useQueryClient();
  const detect = useDetectRegimes();
  const [method, setMethod] = useState<"volatility" | "markov">("volatility");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const task = isTask(detect.data) ? detect.data : null;
  const progress = useTaskProgress(task?.id ?? null);
  useEffect(() => {
    if (task && isTerminal(progress.status)) void client.invalidateQueries({ queryKey: ["regimes", "list"] });
  }, [task, progress.status, client]);
  const out = detect.data && !isTask(detect.data) ? detect.data : null;
  return (
    <form
      className="form"
      aria-label="Detect regimes"
      onSubmit={(e) => {
        e.preventDefault();
        const body: DetectBody = { pair, method, store: true };
        const s = iso(start);
        const en = iso(end);
        if (s) body.start = s;
        if (en) body.end = en;
        detect.mutate(body);
      }}
    >
      <div className="form-grid">
        <SelectField
          label="Method"
          name="method"
          error={detect.error}
          value={method}
          onChange={(e) => setMethod(e.target.value as "volatility" | "markov")}
          options={[
            { value: "volatility", label: "Volatility (rolling, causal)" },
            { value: "markov", label: "Markov switching (slower, a task)" },
          ]}
        />
        <TextField label="From (UTC date)" name="start" type="date" error={detect.error} value={start} onChange={(e) => setStart(e.target.value)} hint="blank: the first bar" />
        <TextField label="To (UTC date)" name="end" type="date" error={detect.error} value={end} onChange={(e) => setEnd(e.target.value)} hint="blank: the last bar" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={detect.isPending || progress.isRunning}>
        {detect.isPending ? "Detecting…" : "Detect regimes"}
      </button>
      {detect.isPending && method === "volatility" && <Notice>Detecting volatility regimes…</Notice>}
      {detect.error && <Alert error={detect.error} title="Regimes were not detected" hideFields={["method", "start", "end"]} />}
      {task && <TaskProgress taskId={task.id} label="Markov regimes" />}
      {out && (
        <Notice tone="success">
          {out.n_regimes} regimes, {out.spans.length} spans; the last bar is in regime {out.current}. Counts:{" "}
          {Object.entries(out.label_counts)
            .map(([l, n]) => `${l}: ${n}`)
            .join(", ")}
          .
        </Notice>
      )}
    </form>
  );
}
