/** Scanner: form → POST pairs/scan → live progress (task topic) → results table. */
import { useState } from "react";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { TaskProgress } from "@/components/TaskProgress";
import { useTaskProgress } from "@/lib/tasks";
import { useStartScan } from "../api/scan";
import { useScanResults } from "../api/scanResults";
import { getAllTickers } from "../api/universe";
import { ScanForm, scanBody, type ScanFormValues } from "../components/ScanForm";
import { scanOutcome } from "../components/outcome";
import { ScanResults } from "../components/ScanResults";

export default function ScannerPage() {
  const start = useStartScan();
  const [taskId, setTaskId] = useState<string | null>(null);
  const [fdr, setFdr] = useState<number | null>(0.05);
  const [prepError, setPrepError] = useState<unknown>(null);
  const [preparing, setPreparing] = useState(false);
  const { status } = useTaskProgress(taskId);
  const results = useScanResults(taskId, status === "succeeded");

  const submit = async (v: ScanFormValues) => {
    setPrepError(null);
    setPreparing(true);
    try {
      const symbols = v.all ? await getAllTickers() : v.symbols.split(/[\s,]+/).filter(Boolean).map((s) => s.toUpperCase());
      const body = scanBody(v, symbols);
      setFdr(body.fdr ?? null);
      const task = await start.mutateAsync(body);
      setTaskId(task.id);
    } catch (e) {
      setPrepError(e);
    } finally {
      setPreparing(false);
    }
  };
  const error = start.error ?? prepError;
  return (
    <>
      <PageHeader title="Scanner" subtitle="Engle-Granger over every pair of the universe, Benjamini-Hochberg FDR control" />
      <Panel title="Scan settings">
        <ScanForm onSubmit={(v) => void submit(v)} error={error} busy={preparing || start.isPending} />
        {error !== null && error !== undefined && <Alert error={error} title="The scan did not start" hideFields={["symbols", "start", "end", "timeframe", "significance_level", "fdr", "min_correlation", "max_half_life"]} />}
      </Panel>
      {taskId && (
        <Panel title="Progress">
          <TaskProgress taskId={taskId} label="Scan" doneMessage={scanOutcome(results.data, fdr)} />
        </Panel>
      )}
      {taskId && status === "succeeded" && (
        <Panel title="Results">
          {results.isLoading && <Loading label="Loading the pairs…" />}
          {results.error && <Alert error={results.error} title="Could not load the results" onRetry={() => void results.refetch()} />}
          {results.data && <ScanResults rows={results.data} fdr={fdr} />}
        </Panel>
      )}
      {!taskId && (
        <Panel title="Results">
          <p className="muted">Run a scan: its pairs appear here, sorted by p-value. Open a pair (click or Enter) for its charts and statistics.</p>
        </Panel>
      )}
    </>
  );
}
