// The page's charts, drawn by uPlot in the theme's colours and the width of their card.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom';

/** A theme colour from the page's CSS (`--chart-1` and so on). */
function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Axis values to as many digits as tell them apart: a share price moves in its sixth decimal. */
function tickValues(_: uPlot, ticks: number[]): string[] {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]) || 1;
  const decimals = Math.min(9, Math.max(0, -Math.floor(Math.log10(step))));
  return ticks.map((tick) => tick.toFixed(decimals));
}

function axes(x: string): uPlot.Axis[] {
  const stroke = colour('--text');
  const grid = { stroke: colour('--rule'), width: 1 };
  return [
    { stroke, grid, ticks: grid, label: x, incrs: [1, 2, 5, 10, 20, 50, 100] },
    { stroke, grid, ticks: grid, size: 90, values: tickValues },
  ];
}

/** A y range a little beyond the values, never a flat line's. */
function padded(_: uPlot, min: number, max: number): uPlot.Range.MinMax {
  const pad = Math.max((max - min) * 0.1, Math.abs(max) * 1e-7, 1e-9);
  return [min - pad, max + pad];
}

/** A chart in a figure captioned `caption`, drawn once the figure is on the page (uPlot needs
 * its width). */
function figure(caption: string, draw: (width: number) => uPlot.Options, data: uPlot.AlignedData): HTMLElement {
  const holder = el('div', { class: 'chart', role: 'img', 'aria-label': caption });
  const element = el('figure', {}, holder, el('figcaption', {}, caption));
  requestAnimationFrame(() => {
    const width = Math.max(holder.clientWidth, 260);
    new uPlot(draw(width), data, holder);
  });
  return element;
}

/** The share price after each roll. */
export function sharePriceChart(epochs: number[], prices: number[], caption: string): HTMLElement {
  return figure(
    caption,
    (width) => ({
      width,
      height: 220,
      scales: { x: { time: false }, y: { range: padded } },
      axes: axes('epoch'),
      legend: { show: false },
      series: [{}, { label: 'SOL per share', stroke: colour('--chart-1'), width: 2, points: { size: 6 } }],
    }),
    [epochs, prices],
  );
}

/** Bars side by side at each x (an epoch, a rank): up to three series, from zero. */
export function barsChart(
  x: { label: string; values: number[] },
  series: { label: string; values: number[] }[],
  caption: string,
): HTMLElement {
  const bars = uPlot.paths.bars!;
  const aligns: (-1 | 0 | 1)[] = [-1, 0, 1];
  return figure(
    caption,
    (width) => ({
      width,
      height: 220,
      scales: {
        x: { time: false, range: (_, min, max) => [min - 0.6, max + 0.6] },
        y: { range: (_, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: axes(x.label),
      legend: { show: true, live: false },
      series: [
        {},
        ...series.map((entry, index) => ({
          label: entry.label,
          fill: colour(`--chart-${index + 1}`),
          stroke: colour(`--chart-${index + 1}`),
          paths: bars({ size: [0.28, 40], align: aligns[index % 3] }),
          points: { show: false },
        })),
      ],
    }),
    [x.values, ...series.map((entry) => entry.values)],
  );
}
