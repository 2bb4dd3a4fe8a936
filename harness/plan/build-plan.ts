import { readFileSync } from 'node:fs';
import type { Logger } from '../api/plugin.js';
import { withDataFolders } from '../datasets/data-folders.js';
import type { TaskEnv, TaskUnit } from '../api/task.js';
import { ConfigError, type ConfigIssue, type PathSeg } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load.js';
import type { Manifest } from '../results/manifest.js';
import { sha256 } from '../util/hash.js';
import { Rng } from '../util/rng.js';
import { kindOf, notApplicable, unitsFor } from './dataset-kinds.js';
import { planEndpoints } from './endpoints.js';
import type { FitStage, Plan, PlannedCell, PlannedDataset } from './plan.js';
import { checkOnDataset } from './data-checks.js';
import { capabilityIssues, probeSimulators } from './plan-checks.js';
import { REFERENCE_ID, referenceMethod } from './reference-method.js';

export interface PlanOptions {
  readonly log: Logger;
}

/**
 * Builds the plan and checks every thing that can be checked without running
 * a unit. Cheap checks come first (endpoints, capabilities), then the
 * datasets are loaded and the units built; every problem found is reported at
 * once as a config error (exit 2) located in the config where possible.
 */
export async function buildPlan(cfg: LoadedConfig, opts: PlanOptions): Promise<Plan> {
  const log = opts.log;
  const issues: ConfigIssue[] = [];
  const fail = (path: readonly PathSeg[], message: string) => issues.push({ ...cfg.locate(path), path, message });
  // Data checks run once per dataset and seed: the same refused option is reported once.
  const reported = new Set<string>();
  const failOnce = (path: readonly PathSeg[], message: string) => {
    const key = `${path.join('\u0000')}\u0001${message}`;
    if (!reported.has(key)) fail(path, message);
    reported.add(key);
  };
  const choices = new Set<string>();

  const endpoints = await planEndpoints(cfg, fail);
  const probes = await probeSimulators(cfg, log, fail);
  capabilityIssues(cfg, fail);
  if (cfg.tasks.some((t) => t.task.reference))
    for (const [i, m] of cfg.methods.entries())
      if (m.id === REFERENCE_ID)
        fail(
          ['methods', i],
          `the method id "${REFERENCE_ID}" names the reference row of the humans: give this method another id (id: ...)`,
        );
  if (issues.length > 0) throw new ConfigError(issues);

  const prompts: Record<string, Record<string, string>> = {};
  const promptTexts = new Map<string, Record<string, string>>();
  const readTemplates = (owner: string, urls: Readonly<Record<string, URL>> | undefined) => {
    const texts: Record<string, string> = {};
    for (const [name, url] of Object.entries(urls ?? {})) texts[name] = readFileSync(url, 'utf8');
    if (Object.keys(texts).length > 0)
      prompts[owner] = Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, sha256(t)]));
    promptTexts.set(owner, texts);
  };
  for (const m of cfg.methods) readTemplates(m.id, m.plugin.prompts);
  for (const t of cfg.tasks) readTemplates(`task:${t.task.name}`, t.task.prompts);

  // Datasets and units, once per seed: units are shared by every method (paired).
  const datasetsInfo: Record<string, Manifest['datasets'][string]> = {};
  const datasets: PlannedDataset[] = [];
  const cells: PlannedCell[] = [];
  const fits: FitStage[] = [];
  const applies = new Map<string, number>();
  const dataFolders = new Set<string>();
  for (const seed of cfg.seeds) {
    for (const d of cfg.datasets) {
      log.info(`loading dataset ${d.id}${cfg.seeds.length > 1 ? ` (seed ${seed})` : ''}`);
      const { value: dataset, folders } = await withDataFolders(() =>
        d.plugin.load(d.options as never, {
          seed,
          rng: Rng.derive(seed, 'dataset', d.id),
          configDir: d.baseDir,
          log,
        }),
      );
      for (const f of folders) dataFolders.add(f);
      const kind = kindOf(dataset);
      const refused = checkOnDataset(cfg, d, dataset, failOnce);
      datasetsInfo[d.id] = {
        name: dataset.name,
        plugin: d.plugin.name,
        variant:
          typeof (d.options as { variant?: unknown }).variant === 'string'
            ? (d.options as { variant: string }).variant
            : null,
        split: kind.splitName(dataset),
        checksums: dataset.checksums,
        ...(dataset.counts ? { counts: dataset.counts } : {}),
      };
      for (const c of [...(d.plugin.choices ?? []), ...dataset.choices]) choices.add(c);
      const env = await recommendersFor(cfg, dataset, seed, d.id, log);
      datasets.push({ seed, id: d.id, dataset, env });
      for (const r of cfg.recommenders) for (const c of r.plugin.choices ?? []) choices.add(c);
      const fitted = new Set<string>();
      for (const [ti, t] of cfg.tasks.entries()) {
        const na = notApplicable(t.task, dataset);
        const units = unitsFor(t.task, dataset, t.options, Rng.derive(seed, 'units', t.task.name, d.id), env);
        if (na === null) applies.set(t.task.name, (applies.get(t.task.name) ?? 0) + 1);
        if (units !== null && units.length === 0 && !refused) {
          const why = kind.noUnits(t.task, dataset, t.options) ?? 'check the task options and the dataset split';
          fail(['tasks', ti], `${t.task.name} has no eligible unit on dataset "${d.id}" (${dataset.name}): ${why}`);
        }
        for (const c of t.task.choices) choices.add(c);
        for (const m of cfg.methods) {
          for (const c of m.plugin.choices ?? []) choices.add(c);
          const asked = t.methods === null || t.methods.includes(m.id);
          const missing = t.task.needs.capabilities.find((c) => !m.plugin.capabilities.includes(c));
          const naReason = !asked
            ? `not asked: the ${t.task.name} entry lists its methods, and ${m.id} is not among them`
            : missing !== undefined
              ? `${m.plugin.name} has no ${missing} capability`
              : (na ?? (units === null ? `${t.task.name} does not apply to ${dataset.name}` : null));
          const file = [
            'predictions',
            d.id,
            t.task.name,
            cfg.seeds.length > 1 ? `${m.id}.seed${seed}.jsonl` : `${m.id}.jsonl`,
          ].join('/');
          const naKind = !asked
            ? 'not-asked'
            : missing !== undefined
              ? 'no-capability'
              : naReason
                ? 'not-applicable'
                : null;
          const cellUnits: readonly TaskUnit[] | null = naReason ? null : units;
          cells.push({
            seed,
            datasetId: d.id,
            dataset,
            method: m,
            task: t.task,
            taskOptions: t.options,
            units: cellUnits,
            naReason,
            naKind,
            reference: null,
            file,
          });
          const probe = probes.get(m.id);
          if (cellUnits && cellUnits.length > 0 && probe && kind.fits(probe) && !fitted.has(m.id)) {
            fitted.add(m.id);
            fits.push({ seed, datasetId: d.id, method: m.id, on: dataset.kind });
          }
        }
        const reference = t.task.reference;
        if (reference && units && units.length > 0 && na === null) {
          const file = [
            'predictions',
            d.id,
            t.task.name,
            cfg.seeds.length > 1 ? `${REFERENCE_ID}.seed${seed}.jsonl` : `${REFERENCE_ID}.jsonl`,
          ].join('/');
          cells.push({
            seed,
            datasetId: d.id,
            dataset,
            method: referenceMethod(t.baseDir),
            task: t.task,
            taskOptions: t.options,
            units,
            naReason: null,
            naKind: null,
            reference: { label: reference.label },
            file,
          });
        }
      }
    }
  }
  for (const [ti, t] of cfg.tasks.entries()) {
    if ((applies.get(t.task.name) ?? 0) > 0) continue;
    fail(
      ['tasks', ti, 'task'],
      `${t.task.name} reads ${t.task.needs.data} datasets${t.task.needs.ratingScale ? ' with ratings' : ''}, and no dataset of this config is one: add such a dataset or remove the task`,
    );
  }
  if (issues.length > 0) throw new ConfigError(issues);
  for (const m of cfg.methods) if (m.llm) for (const c of m.llm.plugin.choices ?? []) choices.add(c);

  const llms: Record<string, { provider: string; model: string; mock: boolean }> = {};
  for (const [id, key] of endpoints.methodEndpoint) {
    const e = endpoints.list.find((x) => x.key === key);
    if (e) llms[id] = { provider: e.provider.provider, model: e.provider.model, mock: e.provider.mock };
  }
  const judge = endpoints.list.find((x) => x.key === endpoints.judgeEndpoint);
  if (judge)
    llms['(judge)'] = { provider: judge.provider.provider, model: judge.provider.model, mock: judge.provider.mock };

  return Object.freeze({
    cfg,
    datasets: Object.freeze(datasets),
    cells: Object.freeze(cells),
    endpoints: Object.freeze(endpoints.list),
    methodEndpoint: endpoints.methodEndpoint,
    judgeEndpoint: endpoints.judgeEndpoint,
    fits: Object.freeze(fits),
    promptTexts,
    manifest: { datasets: datasetsInfo, prompts, llms, choices: [...choices].sort() },
    dataFolders: Object.freeze([...dataFolders].sort()),
  });
}

/**
 * The config's recommenders fitted on a dataset's train split, when a task
 * option names any (recommender-evaluation's list, opera-consistency's shop
 * ranking); seeded per recommender and dataset.
 */
async function recommendersFor(
  cfg: LoadedConfig,
  dataset: PlannedDataset['dataset'],
  seed: number,
  datasetId: string,
  log: Logger,
): Promise<TaskEnv> {
  const named = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string');
  const wanted = cfg.tasks.some((t) =>
    (t.task.needs.refs ?? []).some((r) => r.list === 'recommenders' && named(t.options[r.option])),
  );
  if (!wanted || cfg.recommenders.length === 0) return { recommenders: [] };
  const train = kindOf(dataset).recommenderTrain(dataset);
  const recommenders = [];
  for (const r of cfg.recommenders) {
    log.info(`fitting recommender ${r.id} on ${datasetId}`);
    const recommendation = await r.plugin.fit(train, r.options as never, {
      seed,
      configDir: r.baseDir,
      log,
      rng: Rng.derive(seed, 'recommender', r.id, datasetId),
    });
    recommenders.push({ id: r.id, recommendation });
  }
  return { recommenders };
}
