/**
 * A keyboard-usable data table: sortable headers (buttons with aria-sort), optional row
 * activation (Enter/click), and windowed rendering for long lists (`maxHeight` +
 * `rowHeight`: only the visible rows are in the DOM, so 5,000 rows stay fast).
 */
import { useMemo, useState, type ReactNode, type UIEvent } from "react";

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** The cell; default: `String(row[key])`. */
  render?: (row: T) => ReactNode;
  /** The sort value; a column with one is sortable. */
  sortValue?: (row: T) => number | string | null | undefined;
  align?: "left" | "right" | "center";
  /** Accessible header text when `header` is not a string. */
  label?: string;
}

export type SortState = { key: string; dir: "asc" | "desc" } | null;

export interface TableProps<T> {
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string | number;
  caption: string;
  /** Visually hide the caption (it stays the table's accessible name). */
  hideCaption?: boolean;
  onRowClick?: (row: T) => void;
  /** The label read for a clickable row (default: "Open"). */
  rowLabel?: (row: T) => string;
  initialSort?: SortState;
  /** Controlled sort (with onSortChange). */
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  empty?: ReactNode;
  /** Windowing: a fixed-height scroll area that renders only visible rows. */
  maxHeight?: number;
  rowHeight?: number;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || (typeof a === "number" && Number.isNaN(a))) return 1;
  if (b === null || b === undefined || (typeof b === "number" && Number.isNaN(b))) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

export function sortRows<T>(rows: T[], columns: Array<Column<T>>, sort: SortState): T[] {
  if (!sort) return rows;
  const col = columns.find((c) => c.key === sort.key);
  if (!col?.sortValue) return rows;
  const get = col.sortValue;
  const sign = sort.dir === "asc" ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = get(x);
    const b = get(y);
    const missingA = a === null || a === undefined;
    const missingB = b === null || b === undefined;
    if (missingA || missingB) return compare(a, b); // missing values last either way
    return sign * compare(a, b);
  });
}

export function Table<T>(props: TableProps<T>) {
  const { columns, rows, rowKey, caption, hideCaption, onRowClick, rowLabel, empty, maxHeight, rowHeight = 32 } = props;
  const [ownSort, setOwnSort] = useState<SortState>(props.initialSort ?? null);
  const sort = props.sort !== undefined ? props.sort : ownSort;
  const setSort = (next: SortState) => {
    if (props.onSortChange) props.onSortChange(next);
    if (props.sort === undefined) setOwnSort(next);
  };
  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  const [scrollTop, setScrollTop] = useState(0);

  const windowed = maxHeight !== undefined && sorted.length * rowHeight > maxHeight;
  const overscan = 10;
  const first = windowed ? Math.max(0, Math.floor(scrollTop / rowHeight) - overscan) : 0;
  const last = windowed ? Math.min(sorted.length, Math.ceil((scrollTop + maxHeight) / rowHeight) + overscan) : sorted.length;
  const visible = windowed ? sorted.slice(first, last) : sorted;

  if (rows.length === 0 && empty) return <>{empty}</>;

  const toggle = (key: string) => {
    if (!sort || sort.key !== key) setSort({ key, dir: "asc" });
    else if (sort.dir === "asc") setSort({ key, dir: "desc" });
    else setSort(null);
  };

  return (
    <div
      className="table-wrap"
      style={maxHeight !== undefined ? { maxHeight, overflowY: "auto" } : undefined}
      onScroll={windowed ? (e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop) : undefined}
      tabIndex={maxHeight !== undefined ? 0 : undefined}
      role={maxHeight !== undefined ? "region" : undefined}
      aria-label={maxHeight !== undefined ? caption : undefined}
    >
      <table className="table" aria-rowcount={windowed ? sorted.length + 1 : undefined}>
        <caption className={hideCaption ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort.dir === "asc" ? "ascending" : "descending") : c.sortValue ? "none" : undefined;
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} style={{ textAlign: c.align ?? "left" }}>
                  {c.sortValue ? (
                    <button type="button" className="th-sort" onClick={() => toggle(c.key)}>
                      {c.header}
                      <span aria-hidden="true" className="sort-mark">
                        {active ? (sort.dir === "asc" ? " ▲" : " ▼") : " ↕"}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {windowed && first > 0 && <tr aria-hidden="true" style={{ height: first * rowHeight }} />}
          {visible.map((row, i) => (
            <tr
              key={rowKey(row)}
              aria-rowindex={windowed ? first + i + 2 : undefined}
              className={onRowClick ? "row-clickable" : undefined}
              style={windowed ? { height: rowHeight } : undefined}
              tabIndex={onRowClick ? 0 : undefined}
              aria-label={onRowClick && rowLabel ? rowLabel(row) : undefined}
              onClick={onRowClick ? () => onRowClick(row) : undefined}
              onKeyDown={
                onRowClick
                  ? (e) => {
                      if (e.key === "Enter" || e.key === " ") {
                        e.preventDefault();
                        onRowClick(row);
                      }
                    }
                  : undefined
              }
            >
              {columns.map((c) => (
                <td key={c.key} style={{ textAlign: c.align ?? "left" }}>
                  {c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? "—")}
                </td>
              ))}
            </tr>
          ))}
          {windowed && last < sorted.length && <tr aria-hidden="true" style={{ height: (sorted.length - last) * rowHeight }} />}
        </tbody>
      </table>
    </div>
  );
}
