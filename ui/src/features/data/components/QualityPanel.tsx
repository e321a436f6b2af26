/**
 * The quality report of one symbol and timeframe, as a report a person reads: headline
 * numbers, the span and calendar in words, the findings, and the gaps, stale runs and
 * outlier returns as tables (dates in the user's UTC/local setting).
 */
import "./data.css";
import { MetricCard, MetricGrid } from "@/components/MetricCard";
import { Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { Table } from "@/components/Table";
import { formatNumber, formatPercent, formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useQuality, type QualityReport } from "../api/quality";
import { calendarLabel, groupGaps, spacingLabel, type Gap } from "./report";

const COARSE = new Set(["1d", "1w", "1mo"]);
const count = (n: number | undefined) => (n ?? 0).toLocaleString("en-US");

function Report({ report, timeframe }: { report: QualityReport; timeframe: string }) {
  const { time } = useDisplayPrefs();
  // Daily and coarser bars are labelled by their date (decision 31): no clock time.
  const when = (iso: string | null | undefined) => formatTime(iso, time, !COARSE.has(timeframe));
  const missing = report.missing ?? [];
  const missingCount = report.missing_count ?? missing.length;
  const gaps = groupGaps(missing, timeframe);
  const stale = report.stale_runs ?? [];
  const outliers = report.outliers ?? [];
  const warnings = report.warnings ?? [];
  const coverage = report.coverage ?? null;
  const detected = report.detected_timeframe;
  return (
    <>
      <MetricGrid label="Quality summary">
        <MetricCard label="Bars stored" value={count(report.count)} hint={`of ${count(report.expected)} the calendar expects`} />
        <MetricCard label="Coverage" value={formatPercent(coverage, 2)} tone={coverage !== null && coverage < 0.99 ? "warning" : "neutral"} />
        <MetricCard label="Missing bars" value={count(missingCount)} hint={missingCount ? `in ${gaps.length}${missing.length < missingCount ? "+" : ""} gaps` : "no gap"} tone={missingCount ? "warning" : "neutral"} />
        <MetricCard label="Off-calendar bars" value={count(report.off_calendar)} hint="on days the calendar has no session" tone={report.off_calendar ? "warning" : "neutral"} />
        <MetricCard label="Stale runs" value={count(stale.length)} hint="unchanged closes" tone={stale.length ? "warning" : "neutral"} />
        <MetricCard label="Outlier returns" value={count(outliers.length)} hint="|robust z| above the threshold" tone={outliers.length ? "warning" : "neutral"} />
      </MetricGrid>
      <dl className="quality-facts">
        <dt>First bar</dt>
        <dd>{when(report.first)}</dd>
        <dt>Last bar</dt>
        <dd>{when(report.last)}</dd>
        <dt>Calendar</dt>
        <dd>{calendarLabel(report.calendar)}</dd>
        <dt>Timeframe</dt>
        <dd>
          {timeframe} declared
          {detected ? (detected === timeframe ? `, matches the bars' spacing (median ${spacingLabel(report.median_spacing_s)})` : `, but the bars are spaced like ${detected} (median ${spacingLabel(report.median_spacing_s)})`) : ""}
        </dd>
      </dl>
      <h3 className="quality-heading">Findings</h3>
      {warnings.length ? (
        <ul className="quality-warnings">
          {warnings.map((w) => (
            <li key={w}>
              <span aria-hidden="true">! </span>
              {w}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{missingCount || stale.length || outliers.length ? "No warning: the details are listed below." : "Nothing to report: every expected bar is there, no stale run, no outlier."}</p>
      )}
      {gaps.length > 0 && (
        <>
          <Table<Gap>
            caption={`Gaps: ${count(missingCount)} missing bars${missing.length < missingCount ? ` (the first ${count(missing.length)} are listed)` : ""}`}
            columns={[
              { key: "from", header: "From", render: (g) => when(g.from), sortValue: (g) => g.from },
              { key: "to", header: "To", render: (g) => when(g.to), sortValue: (g) => g.to },
              { key: "bars", header: "Missing bars", render: (g) => count(g.bars), sortValue: (g) => g.bars, align: "right" },
            ]}
            rows={gaps}
            rowKey={(g) => g.from}
            maxHeight={280}
          />
          <p className="field-hint">A gap is a run of consecutive bars the calendar expects and the store does not have (a weekend does not split a daily gap).</p>
        </>
      )}
      {stale.length > 0 && (
        <Table
          caption={`Stale runs (${stale.length}): unchanged closes`}
          columns={[
            { key: "start", header: "From", render: (r) => when(r.start), sortValue: (r) => r.start },
            { key: "end", header: "To", render: (r) => when(r.end), sortValue: (r) => r.end },
            { key: "length", header: "Bars", render: (r) => count(r.length), sortValue: (r) => r.length, align: "right" },
            { key: "close", header: "Close", render: (r) => formatNumber(r.close, 4), align: "right" },
          ]}
          rows={stale}
          rowKey={(r) => r.start}
          maxHeight={280}
        />
      )}
      {outliers.length > 0 && (
        <Table
          caption={`Outlier returns (${outliers.length})`}
          columns={[
            { key: "ts", header: "Bar", render: (r) => when(r.ts), sortValue: (r) => r.ts },
            { key: "ret", header: "Log return", render: (r) => `${r.log_return > 0 ? "+" : ""}${formatPercent(r.log_return, 2)}`, sortValue: (r) => r.log_return, align: "right" },
            { key: "z", header: "Robust z", render: (r) => formatNumber(r.robust_z, 1), sortValue: (r) => Math.abs(r.robust_z), align: "right" },
          ]}
          rows={outliers}
          rowKey={(r) => r.ts}
          maxHeight={280}
        />
      )}
    </>
  );
}

export function QualityPanel({ ticker, timeframe }: { ticker: string; timeframe: string }) {
  const query = useQuality(ticker, timeframe);
  return (
    <Panel title={`Quality of ${ticker} (${timeframe})`}>
      {query.isLoading && <Loading label={`Checking ${ticker}…`} />}
      {query.error && <Alert error={query.error} title="Quality report failed" onRetry={() => void query.refetch()} />}
      {query.data && <Report report={query.data} timeframe={timeframe} />}
    </Panel>
  );
}
