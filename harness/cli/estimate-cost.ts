import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../api/plugin.js';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { costOf, loadPriceTable, type Price, priceOf } from '../llm/prices.js';
import type { Usage } from '../llm/types.js';
import { type Manifest, readManifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import type { PredictionLine } from '../results/prediction-line.js';
import { buildPlan } from '../plan/build-plan.js';
import { runConfig } from '../runner/run.js';

/** A model as the config names it, with its price per million tokens (null: not in the price table). */
export interface PricedModel {
  readonly provider: string;
  readonly model: string;
  readonly price: Price | null;
}

/** Projected usage of one part of the plan, scaled from the sample to every unit. */
export interface Projection {
  readonly calls: number;
  readonly input: number;
  readonly output: number;
  readonly costUsd: number;
  /** Half-width of the 95% interval of `calls` and `costUsd` from sampling units (0: measured in full, e.g. a fit). */
  readonly callsError: number;
  readonly costError: number;
}

export interface EstimateRow {
  /** A method id, or "(judge)". */
  readonly method: string;
  /** units (with per-user state), fit, or judge. */
  readonly part: 'units' | 'fit' | 'judge';
  readonly model: PricedModel | null;
  /** Units sampled and units in the full plan (fits: 0 and 0). */
  readonly sampled: number;
  readonly total: number;
  readonly projection: Projection;
}

export interface Estimate {
  readonly config: string;
  readonly rows: readonly EstimateRow[];
  readonly total: Projection;
  readonly sample: number;
  readonly pricesAsOf: string;
  readonly seconds: number;
}

export interface EstimateOptions {
  readonly sets?: readonly string[];
  /** Units run per cell (the first ones, in the task's order). */
  readonly sample: number;
  readonly allowLocalPlugins?: boolean;
  readonly log: Logger;
}

const Z95 = 1.959964;

function modelOf(
  entry: { plugin: unknown; model?: unknown } | undefined | null,
  prices: ReturnType<typeof loadPriceTable>,
) {
  if (!entry || typeof entry.plugin !== 'string') return null;
  const model = typeof entry.model === 'string' ? entry.model : entry.plugin === 'offline' ? 'offline-mock' : '?';
  // The offline mock costs nothing, whatever label it carries.
  return {
    provider: entry.plugin,
    model,
    price: entry.plugin === 'offline' ? { input: 0, output: 0 } : priceOf(prices, model),
  } satisfies PricedModel;
}

/** Every --set that swaps each LLM of the config (top-level, per method, judge) for the offline mock. */
function offlineSets(cfg: LoadedConfig): string[] {
  const sets = ['llm={plugin: offline}'];
  if (cfg.resolved.judge) sets.push('judge={plugin: offline}');
  for (const m of cfg.methods) if (m.llm) sets.push(`${m.path.join('.')}.llm={plugin: offline}`);
  return sets;
}

interface Sums {
  calls: number;
  input: number;
  cached: number;
  output: number;
}
const zero = (): Sums => ({ calls: 0, input: 0, cached: 0, output: 0 });
const price = (m: PricedModel | null, s: Sums) =>
  costOf(m?.price ?? null, { input: s.input, cachedInput: s.cached, output: s.output } satisfies Usage);

function readLines(path: string): PredictionLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PredictionLine);
}

/** Mean, and the 95% half-width of a total over `total` units estimated from these `xs` (without replacement). */
function scaled(xs: readonly number[], total: number): { sum: number; error: number } {
  const n = xs.length;
  if (n === 0) return { sum: 0, error: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2 || n >= total) return { sum: mean * total, error: 0 };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { sum: mean * total, error: Z95 * total * Math.sqrt((variance / n) * (1 - n / total)) };
}

/**
 * What a config would call and cost: the plan runs with the offline LLM on
 * the first `sample` units of each cell (fits in full), and each cell's
 * calls and tokens are scaled to its full unit count. Tokens are the offline
 * mock's (prompts counted at 4 characters a token, replies as long as its
 * schema-valid answers), priced at the configured models' rates.
 */
export async function estimateCost(file: string, o: EstimateOptions): Promise<Estimate> {
  const started = performance.now();
  const cfg = await loadConfig(file, {
    sets: o.sets ?? [],
    ...(o.allowLocalPlugins ? { allowLocalPlugins: true } : {}),
  });
  const prices = loadPriceTable((cfg.resolved.prices ?? {}) as Parameters<typeof loadPriceTable>[0]);
  const top = modelOf(cfg.resolved.llm as { plugin: unknown; model?: unknown } | undefined, prices);
  const models = new Map<string, PricedModel | null>(
    cfg.methods.map((m) => [
      m.id,
      m.llm ? modelOf({ plugin: m.llm.plugin.name, model: m.llm.options['model'] }, prices) : top,
    ]),
  );
  const judge = cfg.judge
    ? modelOf({ plugin: cfg.judge.plugin.name, model: cfg.judge.options['model'] }, prices)
    : null;

  const tmp = mkdtempSync(join(tmpdir(), 'usersim-estimate-'));
  try {
    const offline = await loadConfig(file, {
      sets: [
        ...(o.sets ?? []),
        ...offlineSets(cfg),
        `output=${JSON.stringify(tmp)}`,
        'cache.mode=off',
        `cache.path=${JSON.stringify(join(tmp, 'cache', 'llm.sqlite'))}`,
        'costLimitUsd=null',
        'report.B=200',
      ],
      ...(o.allowLocalPlugins ? { allowLocalPlugins: true } : {}),
    });
    // The plan's units (their users) for scaling; runConfig builds the same plan again to run it.
    const plan = await buildPlan(offline, { log: o.log });
    const out = await runConfig(offline, { log: o.log, fresh: true, limit: o.sample, noPreflight: true, cwd: tmp });
    const metrics = out.metrics as MetricsFile;
    const manifest = readManifest(out.dir) as Manifest;
    const rows: EstimateRow[] = [];
    const judgeParts: { sums: Sums; calls: number[]; cost: number[]; total: number; sampled: number }[] = [];
    for (const method of cfg.methods) {
      // A method that calls no LLM (popularity, mf, markov) has no entry in the manifest's llms.
      const model = manifest.llms[method.id] ? (models.get(method.id) ?? null) : null;
      const units = zero();
      let callsErr2 = 0;
      let costErr2 = 0;
      let sampled = 0;
      let total = 0;
      const add = (into: Sums, x: Sums, f: number) => {
        into.calls += x.calls * f;
        into.input += x.input * f;
        into.cached += x.cached * f;
        into.output += x.output * f;
      };
      // Per-user state (a persona, a memory) is built once per user and charged to a cell, not to its lines:
      // per (seed, dataset), it is scaled by users, sampled to all.
      const groups = new Map<string, { state: Sums; sampledUsers: Set<string>; users: Set<string> }>();
      for (const p of plan.cells.filter((c) => c.method.id === method.id && !c.reference && c.units)) {
        const cell = metrics.cells.find(
          (c) => c.dataset === p.datasetId && c.task === p.task.name && c.method === method.id && c.seed === p.seed,
        );
        const lines = readLines(join(out.dir, p.file));
        const done = lines.length;
        if (!cell || done === 0) continue;
        const N = p.units?.length ?? 0;
        const g = groups.get(`${p.seed}|${p.datasetId}`) ?? {
          state: zero(),
          sampledUsers: new Set(),
          users: new Set(),
        };
        groups.set(`${p.seed}|${p.datasetId}`, g);
        for (const u of p.units ?? []) g.users.add(u.user);
        for (const l of lines) g.sampledUsers.add(l.user);
        const own = lines.map((l) => {
          const m = zero();
          const j = zero();
          for (const c of l.calls ?? []) {
            const x = c.stage.startsWith('judge/') ? j : m;
            x.calls++;
            x.input += c.usage.input;
            x.cached += c.usage.cachedInput;
            x.output += c.usage.output;
          }
          return { m, j };
        });
        const lineSum = zero();
        for (const x of own) {
          add(lineSum, x.m, 1);
          add(lineSum, x.j, 1);
        }
        add(
          g.state,
          {
            calls: Math.max(0, cell.usage.calls - lineSum.calls),
            input: Math.max(0, cell.usage.input - lineSum.input),
            cached: Math.max(0, cell.usage.cachedInput - lineSum.cached),
            output: Math.max(0, cell.usage.output - lineSum.output),
          },
          1,
        );
        const k = N / done;
        for (const x of own) add(units, x.m, k);
        const c = scaled(
          own.map((x) => x.m.calls),
          N,
        );
        const usd = scaled(
          own.map((x) => price(model, x.m)),
          N,
        );
        callsErr2 += c.error ** 2;
        costErr2 += usd.error ** 2;
        sampled += done;
        total += N;
        if (own.some((x) => x.j.calls > 0)) {
          const js = zero();
          for (const x of own) add(js, x.j, k);
          judgeParts.push({
            sums: js,
            calls: own.map((x) => x.j.calls),
            cost: own.map((x) => price(judge, x.j)),
            total: N,
            sampled: done,
          });
        }
      }
      for (const g of groups.values())
        if (g.sampledUsers.size > 0) add(units, g.state, g.users.size / g.sampledUsers.size);
      if (total > 0)
        rows.push({
          method: method.id,
          part: 'units',
          model,
          sampled,
          total,
          projection: {
            calls: units.calls,
            input: units.input,
            output: units.output,
            costUsd: price(model, units),
            callsError: Math.sqrt(callsErr2),
            costError: Math.sqrt(costErr2),
          },
        });
      const fit = zero();
      for (const f of (manifest.fits ?? []).filter((x) => x.method === method.id)) {
        fit.calls += f.usage.calls;
        fit.input += f.usage.input;
        fit.cached += f.usage.cachedInput;
        fit.output += f.usage.output;
      }
      if (fit.calls > 0)
        rows.push({
          method: method.id,
          part: 'fit',
          model,
          sampled: 0,
          total: 0,
          projection: {
            calls: fit.calls,
            input: fit.input,
            output: fit.output,
            costUsd: price(model, fit),
            callsError: 0,
            costError: 0,
          },
        });
    }
    if (judgeParts.length > 0) {
      const s = zero();
      let ce2 = 0;
      let ue2 = 0;
      for (const p of judgeParts) {
        s.calls += p.sums.calls;
        s.input += p.sums.input;
        s.cached += p.sums.cached;
        s.output += p.sums.output;
        ce2 += scaled(p.calls, p.total).error ** 2;
        ue2 += scaled(p.cost, p.total).error ** 2;
      }
      rows.push({
        method: '(judge)',
        part: 'judge',
        model: judge,
        sampled: judgeParts.reduce((a, p) => a + p.sampled, 0),
        total: judgeParts.reduce((a, p) => a + p.total, 0),
        projection: {
          calls: s.calls,
          input: s.input,
          output: s.output,
          costUsd: price(judge, s),
          callsError: Math.sqrt(ce2),
          costError: Math.sqrt(ue2),
        },
      });
    }
    const sum = (f: (p: Projection) => number) => rows.reduce((a, r) => a + f(r.projection), 0);
    const total: Projection = {
      calls: sum((p) => p.calls),
      input: sum((p) => p.input),
      output: sum((p) => p.output),
      costUsd: sum((p) => p.costUsd),
      // Parts are sampled independently: their errors add in quadrature.
      callsError: Math.sqrt(sum((p) => p.callsError ** 2)),
      costError: Math.sqrt(sum((p) => p.costError ** 2)),
    };
    return {
      config: file,
      rows,
      total,
      sample: o.sample,
      pricesAsOf: prices.asOf,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const int = (x: number) => Math.round(x).toLocaleString('en-US');
export const usd = (x: number) => (x === 0 ? '0' : x < 0.01 ? x.toFixed(4) : x.toFixed(2));
export const pm = (x: number, err: number, f: (v: number) => string) => (err > 0 ? `${f(x)} ± ${f(err)}` : f(x));
const modelText = (m: PricedModel | null) =>
  m ? `${m.provider}/${m.model}${m.price ? '' : ' (no price: $0 counted)'}` : '—';

/** The estimate as a Markdown table (the README's cost table, and `usersim estimate --format md`). */
export function estimateMarkdown(e: Estimate): string {
  const lines = [
    '| method | part | model | units (sampled / all) | LLM calls | input tokens | output tokens | cost $ |',
    '|---|---|---|---:|---:|---:|---:|---:|',
    ...e.rows.map(
      (r) =>
        `| ${r.method} | ${r.part === 'units' ? 'units' : r.part} | ${modelText(r.model)} | ${r.part === 'fit' ? 'in full' : `${r.sampled} / ${r.total}`} | ${pm(r.projection.calls, r.projection.callsError, int)} | ${int(r.projection.input)} | ${int(r.projection.output)} | ${pm(r.projection.costUsd, r.projection.costError, usd)} |`,
    ),
    `| **total** | | | | ${pm(e.total.calls, e.total.callsError, int)} | ${int(e.total.input)} | ${int(e.total.output)} | ${pm(e.total.costUsd, e.total.costError, usd)} |`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The lines `usersim estimate` prints under the table. */
export function estimateNotes(e: Estimate): string[] {
  return [
    `Projected from the first ${e.sample} unit(s) of each cell, run with the offline LLM (fits run in full); ± is the 95% sampling error of the projection.`,
    `Tokens are the offline mock's (prompts at 4 characters a token; replies as long as its schema-valid answers), priced at harness/llm/prices.yaml (as of ${e.pricesAsOf}) and the config's prices:, without batch discounts or cache hits.`,
  ];
}
