import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MetricsFile } from '../results/metrics-file.js';

/** Vega-Lite specs rendered to SVG strings in Node (no browser, no canvas). */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** One bar chart per (dataset, metric): value per method with CI whiskers and the paper's value as a marker. */
export function metricChartSpecs(m: MetricsFile): Array<{ title: string; spec: TopLevelSpec }> {
  const out: Array<{ title: string; spec: TopLevelSpec }> = [];
  for (const seed of m.seeds) {
    for (const dataset of m.datasets) {
      for (const col of m.columns) {
        for (const metric of col.metrics) {
          const rows = m.cells
            .filter(
              (c) =>
                c.dataset === dataset &&
                c.seed === seed &&
                c.task === col.task &&
                c.metrics[metric.key]?.value !== null &&
                c.metrics[metric.key] !== undefined,
            )
            .map((c) => {
              const x = c.metrics[metric.key]!;
              return {
                method: c.method,
                value: x.value,
                lo: x.ci?.lo ?? x.value,
                hi: x.ci?.hi ?? x.value,
                reported: x.reported?.value ?? null,
              };
            });
          if (rows.length === 0) continue;
          const title = `${dataset}${m.seeds.length > 1 ? ` (seed ${seed})` : ''}: ${metric.label} ${metric.direction === 'higher' ? '↑' : '↓'}`;
          const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
            {
              mark: { type: 'bar', color: '#4c78a8' },
              encoding: {
                x: { field: 'method', type: 'nominal', sort: null, title: null },
                y: { field: 'value', type: 'quantitative', title: metric.label },
              },
            },
            {
              mark: { type: 'rule', color: '#222' },
              encoding: {
                x: { field: 'method', type: 'nominal', sort: null },
                y: { field: 'lo', type: 'quantitative' },
                y2: { field: 'hi' },
              },
            },
          ];
          if (rows.some((r) => r.reported !== null)) {
            layers.push({
              transform: [{ filter: 'datum.reported !== null' }],
              mark: { type: 'point', shape: 'diamond', filled: true, color: '#e45756', size: 90 },
              encoding: {
                x: { field: 'method', type: 'nominal', sort: null },
                y: { field: 'reported', type: 'quantitative' },
                tooltip: [{ field: 'reported', title: 'paper' }],
              },
            });
          }
          out.push({
            title,
            spec: {
              $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
              title,
              width: 360,
              height: 200,
              data: { values: rows },
              layer: layers,
            } as TopLevelSpec,
          });
        }
      }
    }
  }
  return out;
}

/** What a task's histograms count, for the axis title. */
const DISTRIBUTION_AXIS: Readonly<Record<string, { readonly axis: string; readonly noun: string }>> = {
  rating: { axis: 'rating (rounded)', noun: 'ratings' },
  'next-action': { axis: 'action (type:click type)', noun: 'actions' },
};

/** Predicted against true counts per method, for each dataset and task that keeps histograms (rating, next-action). */
export function distributionSpecs(m: MetricsFile): Array<{ title: string; spec: TopLevelSpec }> {
  const out: Array<{ title: string; spec: TopLevelSpec }> = [];
  for (const dataset of m.datasets) {
    const tasks = [...new Set(m.cells.filter((x) => x.dataset === dataset && x.distributions).map((x) => x.task))];
    for (const task of tasks) {
      const values: Array<{ method: string; source: string; value: string; count: number }> = [];
      for (const c of m.cells.filter((x) => x.dataset === dataset && x.task === task && x.distributions)) {
        for (const [source, hist] of Object.entries(c.distributions ?? {})) {
          for (const [value, count] of Object.entries(hist)) values.push({ method: c.method, source, value, count });
        }
      }
      const keys = [...new Set(values.map((v) => v.value))];
      const numeric = keys.every((k) => Number.isFinite(Number(k)));
      keys.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
      const label = DISTRIBUTION_AXIS[task] ?? { axis: task, noun: 'answers' };
      const title = `${dataset}: predicted vs true ${label.noun}`;
      out.push({
        title,
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
          title,
          data: { values },
          facet: { column: { field: 'method', type: 'nominal', title: null } },
          spec: {
            width: numeric ? 160 : 260,
            height: 120,
            mark: 'bar',
            encoding: {
              x: { field: 'value', type: 'ordinal', title: label.axis, sort: keys },
              xOffset: { field: 'source', type: 'nominal' },
              y: { field: 'count', type: 'quantitative' },
              color: {
                field: 'source',
                type: 'nominal',
                scale: { domain: ['true', 'predicted'], range: ['#9ecae9', '#f58518'] },
              },
            },
          },
        } as TopLevelSpec,
      });
    }
  }
  return out;
}
