/** Drag-and-drop (or pick) a CSV / CSV.gz / Parquet file: the summary, or the rejected rows. */
import "./data.css";
import { useId, useRef, useState, type DragEvent } from "react";
import { ApiError } from "@/lib/api";
import { Panel } from "@/components/Page";
import { Alert, Loading, Notice } from "@/components/Status";
import { SelectField } from "@/components/Field";
import { Table, type Column } from "@/components/Table";
import { TaskProgress } from "@/components/TaskProgress";
import { useIngestFile, type IngestReport } from "../api/ingest";

const ACCEPT = ".csv,.gz,.csv.gz,.parquet,.pq";
type Rejection = IngestReport["rejected"][number];

type RejectionRow = Rejection & { i: number; line: number };

const symbolOf = (r: Rejection): string => (typeof r.symbol === "string" ? r.symbol : "");

/** The API counts data rows from 0 (the header is not a row): a user looks for the line of
 * the file (a CSV's header is line 1, so data row 0 is line 2), or the 1-based row of a
 * Parquet file. */
function rejectionColumns(csv: boolean): Array<Column<RejectionRow>> {
  return [
    { key: "line", header: csv ? "Line" : "Row", sortValue: (r) => r.line, align: "right" },
    { key: "symbol", header: "Symbol", sortValue: (r) => symbolOf(r), render: (r) => symbolOf(r) || "—" },
    { key: "reason", header: "Reason", sortValue: (r) => r.reason },
  ];
}

function RejectedTable({ rows, fileName }: { rows: Rejection[]; fileName: string | null }) {
  const csv = !/\.(parquet|pq)$/i.test(fileName ?? "");
  const data = rows.map((r, i) => ({ ...r, i, line: r.row + (csv ? 2 : 1) }));
  return (
    <>
      <Table caption={`Rejected rows (${rows.length})`} columns={rejectionColumns(csv)} rows={data} rowKey={(r) => r.i} maxHeight={320} />
      <p className="muted">{csv ? "Line numbers of the file: line 1 is the header." : "Rows of the file, counted from 1."}</p>
    </>
  );
}

export function UploadPanel() {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [timeframe, setTimeframe] = useState("1d");
  const [onError, setOnError] = useState<"abort" | "skip">("abort");
  const [fileName, setFileName] = useState<string | null>(null);
  const mutation = useIngestFile();

  const send = (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    mutation.mutate({ file, timeframe, on_error: onError });
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    send(e.dataTransfer.files[0]);
  };
  const error = mutation.error;
  const rejectedOn422 = error instanceof ApiError && Array.isArray(error.problem.rejected) ? (error.problem.rejected as Rejection[]) : null;
  const answer = mutation.data;

  return (
    <Panel title="Upload bars">
      <div className="form-grid">
        <SelectField label="Timeframe" name="timeframe" value={timeframe} onChange={(e) => setTimeframe(e.target.value)} options={["1m", "5m", "15m", "1h", "1d"].map((v) => ({ value: v, label: v }))} error={error} />
        <SelectField
          label="Bad rows"
          name="on_error"
          value={onError}
          onChange={(e) => setOnError(e.target.value as "abort" | "skip")}
          options={[
            { value: "abort", label: "Reject the file" },
            { value: "skip", label: "Skip bad rows" },
          ]}
          error={error}
        />
      </div>
      <div
        className={`dropzone ${dragging ? "dropzone-active" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop a CSV, CSV.gz or Parquet file here (long: symbol, ts, open, high, low, close, volume; or wide: ts and one close column per symbol).</p>
        <label htmlFor={inputId} className="btn">
          Choose a file…
        </label>
        <input
          id={inputId}
          ref={input}
          className="visually-hidden"
          type="file"
          accept={ACCEPT}
          aria-label="Upload a bars file"
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </div>
      {mutation.isPending && <Loading label={`Uploading ${fileName ?? "the file"}…`} />}
      {answer?.kind === "report" && (
        <>
          <Notice tone={answer.report.rejected.length ? "warning" : "success"}>
            {fileName}: {answer.report.rows} rows · {answer.report.inserted} inserted · {answer.report.updated} updated · {answer.report.unchanged} unchanged
            {answer.report.rejected.length ? ` · ${answer.report.rejected.length} rejected (skipped)` : ""}
            {answer.report.symbols_created.length ? ` · new symbols: ${answer.report.symbols_created.join(", ")}` : ""}
          </Notice>
          {answer.report.rejected.length > 0 && <RejectedTable rows={answer.report.rejected} fileName={fileName} />}
        </>
      )}
      {answer?.kind === "task" && <TaskProgress taskId={answer.task.id} label="Ingesting the large file" />}
      {error && (
        <>
          <Alert error={error} title={rejectedOn422 ? `${fileName}: ${rejectedOn422.length} rows rejected, nothing stored` : "Upload failed"} />
          {rejectedOn422 && <RejectedTable rows={rejectedOn422} fileName={fileName} />}
        </>
      )}
    </Panel>
  );
}
