/**
 * The live memory chart: one uPlot instance, created once on the first data
 * and then fed with `setData` as samples arrive (no rebuild per sample). Draws the
 * deploy marker as a vertical line. Series are keyed; a change of keys adds
 * or removes uPlot series in place rather than recreating the chart.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBytes } from '../state/format.ts';
import { alignSeries, type ChartSeriesInput } from './aligned-series.ts';
import { timeTickLabels } from './time-ticks.ts';

/** The last non-null value of a uPlot column, or null. */
function latestOf(column: ArrayLike<number | null | undefined>): number | null {
  for (let index = column.length - 1; index >= 0; index -= 1) {
    const value = column[index];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function formatClock(seconds: number | null): string {
  return seconds === null ? '–' : new Date(seconds * 1000).toLocaleTimeString();
}

const PALETTE = ['#2f6fb0', '#c0392b', '#2e8b57', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#b7950b'];

export class MemoryChart {
  /** made on the first data (uPlot cannot draw axes of an empty scale), then only fed */
  #plot: uPlot | null = null;
  #keys: string[] = [];
  #deployTimeMs: number | null = null;
  readonly #container: HTMLElement;
  #widthPx: number;
  #heightPx: number;

  constructor(container: HTMLElement, widthPx: number, heightPx: number) {
    this.#container = container;
    this.#widthPx = widthPx;
    this.#heightPx = heightPx;
  }

  #create(series: readonly ChartSeriesInput[], data: uPlot.AlignedData): uPlot {
    const options: uPlot.Options = {
      width: this.#widthPx,
      height: this.#heightPx,
      series: [{ label: 'time', value: (_plot, seconds, _index, dataIndex) => (dataIndex === null ? 'latest' : formatClock(seconds)) }, ...series.map((one, index) => this.#seriesOptions(one, index))],
      scales: { x: { time: true } },
      axes: [
        { stroke: '#555', grid: { stroke: '#eee' }, space: 70, values: (_plot, ticks) => timeTickLabels(ticks) },
        { stroke: '#555', grid: { stroke: '#eee' }, size: 70, values: (_plot, ticks) => ticks.map((tick) => formatBytes(tick)) },
      ],
      legend: { live: true },
      hooks: { draw: [(plot) => this.#drawDeployMarker(plot)] },
    };
    return new uPlot(options, data, this.#container);
  }

  #seriesOptions(one: ChartSeriesInput, index: number): uPlot.Series {
    return {
      label: one.label,
      stroke: PALETTE[index % PALETTE.length],
      width: 1.5,
      spanGaps: true,
      points: { show: false },
      // Off the plot uPlot asks with no data index: show the latest sample rather than a dash.
      value: (plot, value, seriesIndex, dataIndex) => formatBytes(dataIndex === null ? latestOf(plot.data[seriesIndex]) : value),
    };
  }

  /** Replaces the data; adds or removes series when the keys changed. */
  setSeries(series: readonly ChartSeriesInput[]): void {
    const data = alignSeries(series) as uPlot.AlignedData;
    if (data[0].length === 0) return;
    const keys = series.map((one) => one.key);
    if (!this.#plot) {
      this.#plot = this.#create(series, data);
      this.#keys = keys;
      return;
    }
    if (keys.join('\u0000') !== this.#keys.join('\u0000')) {
      for (let index = this.#keys.length; index >= 1; index -= 1) this.#plot.delSeries(index);
      series.forEach((one, index) => this.#plot?.addSeries(this.#seriesOptions(one, index), index + 1));
      this.#keys = keys;
    }
    this.#plot.setData(data);
  }

  setDeployMarker(deployTimeMs: number | null): void {
    this.#deployTimeMs = deployTimeMs;
    this.#plot?.redraw(false);
  }

  resize(widthPx: number, heightPx: number): void {
    this.#widthPx = widthPx;
    this.#heightPx = heightPx;
    this.#plot?.setSize({ width: widthPx, height: heightPx });
  }

  destroy(): void {
    this.#plot?.destroy();
    this.#plot = null;
  }

  #drawDeployMarker(plot: uPlot): void {
    if (this.#deployTimeMs === null) return;
    const xPx = plot.valToPos(this.#deployTimeMs / 1000, 'x', true);
    if (!Number.isFinite(xPx) || xPx < plot.bbox.left || xPx > plot.bbox.left + plot.bbox.width) return;
    const context = plot.ctx;
    context.save();
    context.strokeStyle = '#b35c00';
    context.lineWidth = 2 * devicePixelRatio;
    context.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    context.beginPath();
    context.moveTo(xPx, plot.bbox.top);
    context.lineTo(xPx, plot.bbox.top + plot.bbox.height);
    context.stroke();
    context.fillStyle = '#b35c00';
    context.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    context.fillText('deploy', xPx + 4 * devicePixelRatio, plot.bbox.top + 14 * devicePixelRatio);
    context.restore();
  }
}
