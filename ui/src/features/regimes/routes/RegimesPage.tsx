/** Regimes and parameters (`/regimes?pair=`): detect, see them on the chart, sets per regime, grid optimisation. */
import "@/components/research/research.css";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { SelectField } from "@/components/Field";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { usePairs, useSpread } from "../api/pairs";
import { useRegimes } from "../api/regimes";
import { DetectPanel } from "../components/DetectPanel";
import { OptimizePanel } from "../components/OptimizePanel";
import { ParameterSets } from "../components/ParameterSets";
import { RegimeChart } from "../components/RegimeChart";

export default function RegimesPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get("pair");
  const pair = raw && Number.isFinite(Number(raw)) ? Number(raw) : null;
  const pairs = usePairs();
  const regimes = useRegimes(pair);
  const spread = useSpread(pair);
  const current = pairs.data?.results.find((p) => p.id === pair);
  const name = current ? `${current.symbol_1}/${current.symbol_2}` : pair !== null ? `pair #${pair}` : "";
  return (
    <>
      <PageHeader
        title="Regimes and parameters"
        subtitle="Detect market regimes on a pair, keep a parameter set per regime, and check how stable the best parameters are."
        actions={
          pair !== null ? (
            <>
              <Link className="btn" to={`/pairs/${pair}`}>
                Open the pair
              </Link>
              <Link className="btn" to={`/backtests?pair=${pair}`}>
                Backtest this pair
              </Link>
            </>
          ) : undefined
        }
      />
      <Panel title="Pair">
        {pairs.isLoading && <Loading label="Loading your pairs…" />}
        {pairs.error && <Alert error={pairs.error} title="Could not load your pairs" />}
        {pairs.data && pairs.data.results.length === 0 && pair === null ? (
          <EmptyState title="No pair yet" action={<Link className="btn" to="/scanner">Open the scanner</Link>}>
            Scan a universe to store pairs, then come back to detect their regimes.
          </EmptyState>
        ) : (
          <div className="pair-picker">
          <SelectField
            label="Pair"
            name="pair"
            value={pair === null ? "" : String(pair)}
            onChange={(e) => setParams(e.target.value ? { pair: e.target.value } : {})}
            options={[{ value: "", label: "Choose a pair…" }, ...(pairs.data?.results ?? []).map((p) => ({ value: String(p.id), label: `${p.symbol_1} / ${p.symbol_2} (${p.timeframe})` })), ...(pair !== null && !current ? [{ value: String(pair), label: name }] : [])]}
          />
          </div>
        )}
      </Panel>
      {pair !== null && (
        <>
          <Panel title="Detect regimes">
            <DetectPanel pair={pair} />
          </Panel>
          <Panel title="Regimes on the chart">
            {(spread.isLoading || regimes.isLoading) && <Loading label="Loading the chart…" />}
            {spread.error && <Alert error={spread.error} title="Could not load the spread" />}
            {regimes.error && <Alert error={regimes.error} title="Could not load the regimes" />}
            {spread.data && regimes.data && (regimes.data.results.length ? <RegimeChart spread={spread.data} regimes={regimes.data.results} title={`Z-score of ${name} with its regimes shaded`} /> : <p className="muted">No regimes stored for this pair yet: press “Detect regimes”.</p>)}
          </Panel>
          <Panel title="Parameter sets">
            <ParameterSets pair={pair} />
          </Panel>
          <Panel title="Grid optimisation">
            <OptimizePanel pair={pair} />
          </Panel>
        </>
      )}
    </>
  );
}
