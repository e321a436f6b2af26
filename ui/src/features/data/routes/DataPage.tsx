/** Data: the universe with its coverage, upload with the rejection report, provider fetch, quality. */
import { useState } from "react";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { useCoverage, type Coverage } from "../api/coverage";
import { CoverageTable } from "../components/CoverageTable";
import { FetchPanel } from "../components/FetchPanel";
import { QualityPanel } from "../components/QualityPanel";
import { UploadPanel } from "../components/UploadPanel";

export default function DataPage() {
  const coverage = useCoverage();
  const [selected, setSelected] = useState<Coverage | null>(null);
  const symbols = new Set((coverage.data ?? []).map((r) => r.symbol)).size;
  return (
    <>
      <PageHeader title="Data" subtitle={coverage.data ? `${symbols} symbols · ${coverage.data.length} series stored` : "The stored universe"} />
      <Panel title="Universe coverage">
        {coverage.isLoading && <Loading label="Loading the coverage…" />}
        {coverage.error && <Alert error={coverage.error} title="Could not load the coverage" onRetry={() => void coverage.refetch()} />}
        {coverage.data && <CoverageTable rows={coverage.data} onOpen={setSelected} />}
      </Panel>
      {selected && <QualityPanel ticker={selected.symbol} timeframe={selected.timeframe} />}
      <div className="grid-2">
        <UploadPanel />
        <FetchPanel />
      </div>
    </>
  );
}
