import type { OptionIssue } from '../api/plugin.js';
import type { PathSeg } from '../config/config-error.js';
import type { LoadedConfig, PluginUse } from '../config/load.js';
import type { DatasetPlugin } from '../api/dataset.js';
import type { Dataset } from '../data/types.js';
import { notApplicable } from './dataset-kinds.js';

type Fail = (path: readonly PathSeg[], message: string) => void;
type DataCheck = ((options: never, dataset: Dataset) => readonly OptionIssue[]) | undefined;

/**
 * The options of every plugin that meets a loaded dataset, checked against
 * it (`checkDataset`: a threshold on the rating scale, a size the data can
 * fill): the dataset's own, every method's, recommender's, and every task's
 * that applies to it. Each issue is a config error at its option. Returns
 * true when the dataset's own options were refused: its units are built from
 * the wrong data, so what they lack only repeats the cause.
 */
export function checkOnDataset(
  cfg: LoadedConfig,
  use: PluginUse<DatasetPlugin>,
  dataset: Dataset,
  fail: Fail,
): boolean {
  const run = (check: DataCheck, options: Record<string, unknown>, at: readonly PathSeg[]): number => {
    const issues = check?.(options as never, dataset) ?? [];
    for (const i of issues) fail([...at, ...i.path], i.message);
    return issues.length;
  };
  const own = run(use.plugin.checkDataset?.bind(use.plugin), use.options, use.path);
  for (const m of cfg.methods) run(m.plugin.checkDataset?.bind(m.plugin), m.options, m.path);
  for (const r of cfg.recommenders) run(r.plugin.checkDataset?.bind(r.plugin), r.options, r.path);
  for (const t of cfg.tasks)
    if (notApplicable(t.task, dataset) === null) run(t.task.checkDataset?.bind(t.task), t.options, t.path);
  return own > 0;
}
