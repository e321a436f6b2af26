/** The monitors: select one for its chart, pause/resume, delete, replay. */
import { EmptyState } from "@/components/EmptyState";
import { Alert, Loading } from "@/components/Status";
import { formatTime } from "@/lib/format";
import { useDisplayPrefs } from "@/lib/prefs";
import { useDeleteMonitor, useMonitors, useSetMonitorActive, type Monitor } from "../api/monitors";

const POSITION = { 1: "long spread", "-1": "short spread", 0: "flat" } as Record<string, string>;

export function MonitorList({ selected, onSelect }: { selected: number | null; onSelect: (m: Monitor) => void }) {
  const { time: timeMode } = useDisplayPrefs();
  const monitors = useMonitors();
  const pause = useSetMonitorActive();
  const remove = useDeleteMonitor();
  if (monitors.isLoading) return <Loading label="Loading the monitors…" />;
  if (monitors.error && !monitors.data) return <Alert error={monitors.error} title="Could not load the monitors" onRetry={() => void monitors.refetch()} />;
  const rows = monitors.data?.results ?? [];
  if (rows.length === 0) return <EmptyState title="No monitor yet">Create one above: pick a pair and a parameter set.</EmptyState>;
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Monitors</caption>
        <thead>
          <tr>
            <th scope="col">Pair</th>
            <th scope="col">Mode</th>
            <th scope="col">State</th>
            <th scope="col">Position</th>
            <th scope="col">Last bar</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} aria-selected={selected === m.pair_id} className={selected === m.pair_id ? "row-selected" : undefined}>
              <td>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => onSelect(m)} aria-pressed={selected === m.pair_id}>
                  {m.symbol_1} / {m.symbol_2}
                </button>
              </td>
              <td>{m.adaptive ? "adaptive" : `params #${m.parameter_set_id}`}</td>
              <td>{m.active ? "▶ active" : "⏸ paused"}</td>
              <td>{POSITION[String(m.position)] ?? m.position}</td>
              <td>{formatTime(m.last_ts, timeMode, false)}</td>
              <td className="actions">
                <button type="button" className="btn btn-small" onClick={() => pause.mutate({ id: m.id, active: !m.active })} aria-label={`${m.active ? "Pause" : "Resume"} monitor ${m.symbol_1}/${m.symbol_2}`}>
                  {m.active ? "Pause" : "Resume"}
                </button>
                <button
                  type="button"
                  className="btn btn-danger btn-small"
                  onClick={() => {
                    if (window.confirm(`Delete the monitor on ${m.symbol_1}/${m.symbol_2}? Its stored signals stay.`)) remove.mutate(m.id);
                  }}
                  aria-label={`Delete monitor ${m.symbol_1}/${m.symbol_2}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {monitors.error && <Alert error={monitors.error} title="Could not refresh the monitors (the table shows the last answer)" onRetry={() => void monitors.refetch()} />}
      {pause.error && <Alert error={pause.error} title="Could not change the monitor" />}
      {remove.error && <Alert error={remove.error} title="Could not delete the monitor" />}
    </>
  );
}
