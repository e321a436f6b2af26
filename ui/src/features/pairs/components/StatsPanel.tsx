/** The statistics of a pair: Engle-Granger both ways, Johansen, hedge, half-life, Hurst, stability. */
import { Panel } from "@/components/Page";
import { formatNumber, formatPValue } from "@/lib/format";
import type { PairDetail } from "../api/getPair";

interface EG {
  statistic?: number;
  pvalue?: number;
  critical_values?: number[];
  lag?: number;
  beta?: number;
}

interface Johansen {
  trace_stat?: number[];
  trace_crit?: number[][];
  max_eig_stat?: number[];
  max_eig_crit?: number[][];
  rank_trace?: number;
  rank_max_eig?: number;
}

export interface Breaks {
  rolling?: { start?: number[]; end?: number[]; pvalue?: Array<number | null>; window?: number; step?: number };
  share_cointegrated?: number;
  max_relative_drift?: number;
  stopped_cointegrating?: boolean;
  za_statistic?: number | null;
  za_pvalue?: number | null;
  za_break_index?: number;
}

export interface PairStats {
  critical_values?: number[];
  eg_x_on_y?: EG;
  johansen?: Johansen;
  breaks?: Breaks;
  nobs?: number;
  source?: string;
}

export function pairStats(pair: PairDetail): PairStats {
  return (pair.stats && typeof pair.stats === "object" ? pair.stats : {}) as PairStats;
}

const n = (v: number | null | undefined, d = 3) => formatNumber(v ?? null, d);

function Verdict({ ok, yes, no }: { ok: boolean | undefined; yes: string; no: string }) {
  if (ok === undefined) return <>—</>;
  return <span className={ok ? "tone-up" : "tone-down"}>{ok ? `✓${yes ? ` ${yes}` : ""}` : `✗${no ? ` ${no}` : ""}`}</span>;
}

export function StatsPanel({ pair }: { pair: PairDetail }) {
  const stats = pairStats(pair);
  const cv = stats.critical_values ?? [];
  const xy = stats.eg_x_on_y;
  const jo = stats.johansen;
  const br = stats.breaks;
  const rows: Array<{ dir: string; stat?: number | null; p?: number | null; cv?: number[]; lag?: number | null; beta?: number | null }> = [
    { dir: `${pair.symbol_1} on ${pair.symbol_2}`, stat: pair.tstat, p: pair.pvalue, cv, lag: pair.lag, beta: pair.hedge_ratio },
  ];
  if (xy) rows.push({ dir: `${pair.symbol_2} on ${pair.symbol_1}`, stat: xy.statistic, p: xy.pvalue, cv: xy.critical_values, lag: xy.lag, beta: xy.beta });
  return (
    <Panel title="Statistics" className="pair-stats">
      <table className="table table-compact">
        <caption>Engle-Granger cointegration test, both directions</caption>
        <thead>
          <tr>
            <th scope="col">Regression</th>
            <th scope="col">Statistic</th>
            <th scope="col">p-value</th>
            <th scope="col">Crit. 1/5/10%</th>
            <th scope="col">Lags</th>
            <th scope="col">β</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.dir}>
              <th scope="row">{r.dir}</th>
              <td>{n(r.stat)}</td>
              <td>
                {formatPValue(r.p ?? null)} <Verdict ok={r.p === null || r.p === undefined ? undefined : r.p < 0.05} yes="" no="" />
              </td>
              <td>{r.cv && r.cv.length ? r.cv.map((c) => n(c, 2)).join(" / ") : "—"}</td>
              <td>{r.lag ?? "—"}</td>
              <td>{n(r.beta, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jo?.trace_stat && (
        <table className="table table-compact">
          <caption>Johansen test (critical values at 95%)</caption>
          <thead>
            <tr>
              <th scope="col">H0: rank ≤</th>
              <th scope="col">Trace</th>
              <th scope="col">Trace crit.</th>
              <th scope="col">Max-eigen</th>
              <th scope="col">Max-eigen crit.</th>
            </tr>
          </thead>
          <tbody>
            {jo.trace_stat.map((t, r) => (
              <tr key={r}>
                <th scope="row">{r}</th>
                <td>
                  {n(t, 2)} {jo.trace_crit?.[r] && <Verdict ok={t > (jo.trace_crit[r]![1] ?? Infinity)} yes="reject" no="keep" />}
                </td>
                <td>{n(jo.trace_crit?.[r]?.[1], 2)}</td>
                <td>
                  {n(jo.max_eig_stat?.[r], 2)} {jo.max_eig_crit?.[r] && <Verdict ok={(jo.max_eig_stat?.[r] ?? 0) > (jo.max_eig_crit[r]![1] ?? Infinity)} yes="reject" no="keep" />}
                </td>
                <td>{n(jo.max_eig_crit?.[r]?.[1], 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="stat-list">
        <dt>Hedge ratio β</dt>
        <dd>{n(pair.hedge_ratio, 4)}</dd>
        <dt>Intercept</dt>
        <dd>{n(pair.intercept, 4)}</dd>
        <dt>Half-life</dt>
        <dd>{pair.half_life === null || pair.half_life === undefined ? "—" : `${n(pair.half_life, 1)} bars`}</dd>
        <dt>Hurst exponent</dt>
        <dd>
          {n(pair.hurst)} {typeof pair.hurst === "number" && <span className="muted">({pair.hurst < 0.5 ? "mean-reverting" : "trending"})</span>}
        </dd>
        <dt>Correlation</dt>
        <dd>{n(pair.correlation)}</dd>
        <dt>Stability score</dt>
        <dd>{n(pair.stability_score)}</dd>
        {pair.qvalue !== null && pair.qvalue !== undefined && (
          <>
            <dt>BH q-value</dt>
            <dd>{formatPValue(pair.qvalue)}</dd>
          </>
        )}
        {jo && (
          <>
            <dt>Johansen rank (trace / max-eigen)</dt>
            <dd>
              {jo.rank_trace ?? "—"} / {jo.rank_max_eig ?? "—"}
            </dd>
          </>
        )}
        {br && (
          <>
            <dt>Windows cointegrated</dt>
            <dd>{br.share_cointegrated === undefined ? "—" : `${Math.round(br.share_cointegrated * 100)}%`}</dd>
            <dt>Max hedge drift</dt>
            <dd>{br.max_relative_drift === undefined ? "—" : `${formatNumber(br.max_relative_drift * 100, 1)}%`}</dd>
            <dt>Recently stopped cointegrating</dt>
            <dd>{br.stopped_cointegrating ? "⚠ yes" : "no"}</dd>
          </>
        )}
        <dt>Observations</dt>
        <dd>{stats.nobs ?? "—"}</dd>
      </dl>
    </Panel>
  );
}
