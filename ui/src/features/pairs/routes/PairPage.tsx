/** Pair page (`/pairs/:id`): charts, statistics and the next steps (backtest, monitor). */
import "@/components/research/research.css";
import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { EmptyState } from "@/components/EmptyState";
import { NumberField, SelectField } from "@/components/Field";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useMe } from "../api/getMe";
import { usePair } from "../api/getPair";
import { usePairRegimes } from "../api/getPairRegimes";
import { PAIR_DATA_MARK, usePairSpread } from "../api/getPairSpread";
import { PairCharts, PAIR_DRAW_MEASURE, PAIR_DRAWN_MARK, type Bands } from "../components/PairCharts";
import { pairStats, StatsPanel } from "../components/StatsPanel";
import type { Normalisation } from "../components/series";

interface Defaults {
  lookback?: number;
  entry_z?: number;
  exit_z?: number;
  stop_z?: number | null;
}

function num(value: string, fallback: number): number {
  const v = Number(value);
  return value.trim() !== "" && Number.isFinite(v) ? v : fallback;
}

export default function PairPage() {
  const { id } = useParams();
  const pairId = Number(id);
  const prefs = useDisplayPrefs();
  const me = useMe();
  const defaults = ((me.data?.default_params ?? {}) as Defaults) || {};
  const [lookbackText, setLookbackText] = useState<string | null>(null);
  const [bandText, setBandText] = useState<{ entry?: string; exit?: string; stop?: string }>({});
  const [normalisation, setNormalisation] = useState<Normalisation>("rebased");
  const [drawMs, setDrawMs] = useState<number | null>(null);

  const lookback = Math.max(2, Math.round(num(lookbackText ?? "", defaults.lookback ?? 60)));
  const bands: Bands = useMemo(
    () => ({
      entry: num(bandText.entry ?? "", defaults.entry_z ?? 2),
      exit: num(bandText.exit ?? "", defaults.exit_z ?? 0.5),
      stop: bandText.stop !== undefined && bandText.stop.trim() === "" ? null : num(bandText.stop ?? "", defaults.stop_z ?? 4),
    }),
    [bandText, defaults.entry_z, defaults.exit_z, defaults.stop_z],
  );

  const pair = usePair(pairId);
  const spread = usePairSpread(pairId, lookback);
  const regimes = usePairRegimes(pairId);

  const measured = useRef<number>(-1);
  const onDrawn = useCallback(() => {
    // Data arrival (the fetcher's mark) to drawn (after the frame that follows setData),
    // once per arrival: redraws for new bands are not data arrivals.
    const arrivals = performance.getEntriesByName(PAIR_DATA_MARK, "mark");
    const arrival = arrivals[arrivals.length - 1];
    if (!arrival || arrival.startTime === measured.current) return;
    measured.current = arrival.startTime;
    try {
      const m = performance.measure(PAIR_DRAW_MEASURE, PAIR_DATA_MARK, PAIR_DRAWN_MARK);
      setDrawMs(m.duration);
    } catch {
      /* marks cleared: nothing to measure */
    }
  }, []);

  if (!Number.isFinite(pairId)) return <Alert title="Not a pair">The address has no pair id.</Alert>;
  if (pair.isLoading) return <Loading label="Loading the pair…" />;
  if (pair.error || !pair.data)
    return (
      <>
        <PageHeader title="Pair" />
        <Alert error={pair.error} title="Could not load the pair" onRetry={() => void pair.refetch()} />
        <EmptyState title="Find a pair" action={<Link className="btn" to="/scanner">Open the scanner</Link>}>
          Scan a universe and open one of its pairs, or analyse two symbols.
        </EmptyState>
      </>
    );

  const p = pair.data;
  const stats = pairStats(p);
  const spans = regimes.data?.results ?? [];
  return (
    <>
      <PageHeader
        title={`${p.symbol_1} / ${p.symbol_2}`}
        subtitle={
          <>
            {p.timeframe} · {formatTime(p.start, prefs.time, false)} to {formatTime(p.end, prefs.time, false)} · {p.is_cointegrated ? "cointegrated" : "not cointegrated"} at 5%
          </>
        }
        actions={
          <>
            <Link className="btn btn-primary" to={`/backtests?pair=${p.id}`}>
              Backtest this pair
            </Link>
            <Link className="btn" to={`/live?pair=${p.id}`}>
              Monitor live
            </Link>
            <Link className="btn btn-ghost" to={`/regimes?pair=${p.id}`}>
              Regimes and parameters
            </Link>
          </>
        }
      />
      <Panel title="Chart settings">
        <form className="form-grid form-inline" onSubmit={(e) => e.preventDefault()} aria-label="Chart settings">
          <SelectField
            label="Legs"
            name="normalisation"
            value={normalisation}
            onChange={(e) => setNormalisation(e.target.value as Normalisation)}
            options={[
              { value: "rebased", label: "Rebased to 100" },
              { value: "log", label: "Log price" },
            ]}
          />
          <NumberField label="Z lookback (bars)" name="lookback" min={2} max={5000} step={1} value={lookbackText ?? String(lookback)} onChange={(e) => setLookbackText(e.target.value)} />
          <NumberField label="Entry |z|" name="entry_z" min={0.01} value={bandText.entry ?? String(bands.entry)} onChange={(e) => setBandText((b) => ({ ...b, entry: e.target.value }))} />
          <NumberField label="Exit |z|" name="exit_z" min={0} value={bandText.exit ?? String(bands.exit)} onChange={(e) => setBandText((b) => ({ ...b, exit: e.target.value }))} />
          <NumberField label="Stop |z| (blank: none)" name="stop_z" min={0.01} value={bandText.stop ?? (bands.stop === null ? "" : String(bands.stop))} onChange={(e) => setBandText((b) => ({ ...b, stop: e.target.value }))} />
        </form>
        {regimes.error && <Alert error={regimes.error} title="Could not load the regimes" />}
        {!regimes.isLoading && spans.length === 0 && (
          <p className="muted">
            No regimes detected for this pair yet: <Link to={`/regimes?pair=${p.id}`}>detect them</Link> to shade them here.
          </p>
        )}
      </Panel>
      <div className="pair-layout">
        <Panel title="Charts" className="pair-chart-panel">
          {spread.error && <Alert error={spread.error} title="Could not load the spread" onRetry={() => void spread.refetch()} />}
          {/* Built while the spread loads, so its arrival costs only setData and a paint. */}
          {!spread.error && (
            <PairCharts
              symbol1={p.symbol_1}
              symbol2={p.symbol_2}
              spread={spread.data ?? null}
              bands={bands}
              normalisation={normalisation}
              regimes={spans}
              breaks={stats.breaks}
              analysisStart={p.start}
              onDrawn={onDrawn}
            />
          )}
          {/* Below the chart, in a line of its own: the status coming and going does not move
              or resize the chart in the frame that draws the bars. */}
          {spread.isLoading && (
            <div className="chart-footnote">
              <Loading label="Loading the spread…" />
            </div>
          )}
          {spread.data && (
            <p className="muted chart-footnote" data-testid="pair-draw">
              {spread.data.ts.length.toLocaleString("en-US")} bars
              {drawMs !== null && <> · drawn {Math.round(drawMs)} ms after the data arrived</>}
              {spread.isFetching && " · updating…"}
            </p>
          )}
        </Panel>
        <StatsPanel pair={p} />
      </div>
    </>
  );
}
