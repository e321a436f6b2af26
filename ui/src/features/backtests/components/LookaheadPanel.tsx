/** The lookahead check of a finished backtest: start it, follow it, show its verdict. */
import { useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { NumberField } from "@/components/Field";
import { Panel } from "@/components/Page";
import { Alert, Notice } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { isTerminal, useTaskProgress } from "@/lib/tasks";
import { useLookahead, type LookaheadReport } from "../api/backtests";

export function LookaheadVerdict({ report }: { report: LookaheadReport | null }) {
  if (!report) return <p className="muted">Not checked yet: run the check to see whether any decision used data from after its bar.</p>;
  const diffs = report.differences ?? [];
  return (
    <div className={`verdict ${report.ok ? "verdict-ok" : "verdict-bad"}`} role="status" aria-label="Lookahead verdict">
      <strong>{report.ok ? "✓ No lookahead: every decision is the same on data cut after its bar." : `✗ Lookahead found: ${diffs.length} decision(s) change when later data is removed.`}</strong>
      {(report.warnings ?? []).length > 0 && (
        <ul className="warnings">
          {(report.warnings ?? []).map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {!report.ok && diffs.length > 0 && (
        <details>
          <summary>Differences</summary>
          <pre className="pre-small" aria-label="Differences found" tabIndex={0}>{JSON.stringify(diffs.slice(0, 20), null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

export function LookaheadPanel({ runId, report, finished }: { runId: number; report: LookaheadReport | null; finished: boolean }) {
  const client = useQueryClient();
  const mutation = useLookahead(runId);
  const [cuts, setCuts] = useState("5");
  const taskId = mutation.data?.id ?? null;
  const progress = useTaskProgress(taskId);
  useEffect(() => {
    if (taskId && isTerminal(progress.status)) void client.invalidateQueries({ queryKey: ["backtests"] });
  }, [taskId, progress.status, client]);
  return (
    <Panel title="Lookahead check">
      <LookaheadVerdict report={report} />
      <form
        className="form-inline"
        aria-label="Lookahead check"
        onSubmit={(e) => {
          e.preventDefault();
          mutation.mutate(Number(cuts) || 5);
        }}
      >
        <NumberField label="Cuts" name="cuts" min={1} max={50} step={1} value={cuts} onChange={(e) => setCuts(e.target.value)} error={mutation.error} hint="bars after which the data is truncated" />
        <button type="submit" className="btn" disabled={!finished || mutation.isPending || progress.isRunning}>
          {report ? "Check again" : "Check for lookahead"}
        </button>
      </form>
      {mutation.error && <Alert error={mutation.error} title="The check was not started" hideFields={["cuts"]} />}
      {taskId && <TaskProgress taskId={taskId} label="Lookahead check" />}
      {taskId && progress.status === "succeeded" && <Notice tone="success">Lookahead check finished.</Notice>}
    </Panel>
  );
}
