/** The quality report of one symbol and timeframe. */
import { Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { MetricCard } from "@/components/MetricCard";
import { useQuality } from "../api/quality";

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

export function QualityPanel({ ticker, timeframe }: { ticker: string; timeframe: string }) {
  const query = useQuality(ticker, timeframe);
  return (
    <Panel title={`Quality of ${ticker} (${timeframe})`}>
      {query.isLoading && <Loading label={`Checking ${ticker}…`} />}
      {query.error && <Alert error={query.error} title="Quality report failed" onRetry={() => void query.refetch()} />}
      {query.data && (
        <>
          <div className="metric-grid">
            {Object.entries(query.data)
              .filter(([k, v]) => isScalar(v) && k !== "missing")
              .map(([k, v]) => (
                <MetricCard key={k} label={k.replace(/_/g, " ")} value={String(v ?? "—")} />
              ))}
            {Object.entries(query.data)
              .filter(([, v]) => Array.isArray(v))
              .map(([k, v]) => (
                <MetricCard key={k} label={`${k.replace(/_/g, " ")} (count)`} value={String((v as unknown[]).length)} />
              ))}
          </div>
          {(query.data.missing?.length ?? 0) > 0 && (
            <details>
              <summary>Missing bars ({query.data.missing_count ?? query.data.missing?.length})</summary>
              <ul className="compact-list">
                {query.data.missing?.slice(0, 200).map((m) => (
                  <li key={String(m)}>{String(m)}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </Panel>
  );
}
