/**
 * A series primitive that shades time ranges behind the series (regimes, folds, train/test).
 *
 * lightweight-charts v5 plugin model: `series.attachPrimitive(p)` calls `attached({chart,
 * series, requestUpdate})`; on each redraw the chart calls `updateAllViews()` then asks
 * `paneViews()` for views whose `renderer().drawBackground(target)` paints under the series
 * (zOrder "bottom"). Coordinates come from `chart.timeScale().timeToCoordinate(time)`.
 */
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  PrimitivePaneViewZOrder,
  SeriesAttachedParameter,
  Time,
  UTCTimestamp,
} from "lightweight-charts";

export interface ShadedRange {
  /** UTC seconds, inclusive. */
  from: number;
  /** UTC seconds, inclusive. */
  to: number;
  color: string;
  /** Drawn at the top of the range when there is room. */
  label?: string;
}

type Target = Parameters<IPrimitivePaneRenderer["draw"]>[0];

interface Span {
  x1: number;
  x2: number;
  color: string;
  label?: string;
}

class ShadingRenderer implements IPrimitivePaneRenderer {
  constructor(
    private readonly spans: Span[],
    private readonly textColor: string,
  ) {}

  draw(): void {}

  drawBackground(target: Target): void {
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio, verticalPixelRatio }) => {
      for (const span of this.spans) {
        const x1 = Math.round(span.x1 * horizontalPixelRatio);
        const x2 = Math.round(span.x2 * horizontalPixelRatio);
        context.fillStyle = span.color;
        context.fillRect(x1, 0, Math.max(1, x2 - x1), bitmapSize.height);
        if (span.label && x2 - x1 > 40 * horizontalPixelRatio) {
          context.fillStyle = this.textColor;
          context.font = `${Math.round(11 * verticalPixelRatio)}px sans-serif`;
          // At the bottom of the range: the legend sits at the top of the pane.
          context.fillText(span.label, x1 + 4 * horizontalPixelRatio, bitmapSize.height - 6 * verticalPixelRatio, x2 - x1 - 8 * horizontalPixelRatio);
        }
      }
    });
  }
}

class ShadingView implements IPrimitivePaneView {
  spans: Span[] = [];
  constructor(private readonly owner: ShadedRangesPrimitive) {}
  zOrder(): PrimitivePaneViewZOrder {
    return "bottom";
  }
  update(): void {
    const chart = this.owner.chart;
    if (!chart) {
      this.spans = [];
      return;
    }
    const scale = chart.timeScale();
    const range = scale.getVisibleRange();
    const width = scale.width();
    const out: Span[] = [];
    for (const r of this.owner.ranges) {
      if (range && (r.to < (range.from as number) || r.from > (range.to as number))) continue;
      const x1 = scale.timeToCoordinate(r.from as UTCTimestamp) ?? nearestCoordinate(chart, r.from);
      const x2 = scale.timeToCoordinate(r.to as UTCTimestamp) ?? nearestCoordinate(chart, r.to);
      if (x1 === null || x2 === null) continue;
      out.push({ x1: Math.max(0, Math.min(x1, width)), x2: Math.max(0, Math.min(x2, width)), color: r.color, label: r.label });
    }
    this.spans = out;
  }
  renderer(): IPrimitivePaneRenderer {
    return new ShadingRenderer(this.spans, this.owner.textColor);
  }
}

/** The x of the bar nearest `time` (for range ends that fall between bars). */
function nearestCoordinate(chart: IChartApiBase<Time>, time: number): number | null {
  const scale = chart.timeScale();
  if (!scale.getVisibleLogicalRange()) return null;
  const left = scale.coordinateToTime(0);
  const right = scale.coordinateToTime(scale.width() - 1);
  if (left !== null && time <= (left as number)) return 0;
  if (right !== null && time >= (right as number)) return scale.width();
  // Binary search on coordinates: times grow left to right.
  let lo = 0;
  let hi = scale.width();
  for (let i = 0; i < 24 && hi - lo > 1; i += 1) {
    const mid = (lo + hi) / 2;
    const t = scale.coordinateToTime(mid);
    if (t === null || (t as number) < time) lo = mid;
    else hi = mid;
  }
  return hi;
}

export class ShadedRangesPrimitive implements ISeriesPrimitive<Time> {
  ranges: ShadedRange[];
  textColor: string;
  chart: IChartApiBase<Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private readonly views: ShadingView[];

  constructor(ranges: ShadedRange[] = [], textColor = "#d1d4dc") {
    this.ranges = ranges;
    this.textColor = textColor;
    this.views = [new ShadingView(this)];
  }

  attached({ chart, requestUpdate }: SeriesAttachedParameter<Time>): void {
    this.chart = chart;
    this.requestUpdate = requestUpdate;
  }

  detached(): void {
    this.chart = null;
    this.requestUpdate = null;
  }

  setRanges(ranges: ShadedRange[], textColor?: string): void {
    this.ranges = ranges;
    if (textColor) this.textColor = textColor;
    this.requestUpdate?.();
  }

  updateAllViews(): void {
    this.views.forEach((v) => v.update());
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }
}
