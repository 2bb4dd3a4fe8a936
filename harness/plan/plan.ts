/**
 * The plan: everything a run will do, decided and checked before any unit
 * runs. Built from the validated config (harness/plan/build-plan.ts), then
 * executed (harness/runner/) and scored (harness/score/).
 */
import type { LlmPlugin } from '../api/llm.js';
import type { TaskEnv, TaskPlugin, TaskUnit } from '../api/task.js';
import type { PathSeg } from '../config/config-error.js';
import type { LoadedConfig, MethodUse, PluginUse } from '../config/load.js';
import type { Dataset } from '../data/types.js';
import type { LlmRuntime } from '../llm/runtime-options.js';
import type { LlmProvider } from '../llm/types.js';
import type { Manifest } from '../results/manifest.js';
import type { NaKind } from '../results/metrics-file.js';

/** One dataset as loaded for one seed, with the recommenders its tasks need fitted on its train split. */
export interface PlannedDataset {
  readonly seed: number;
  readonly id: string;
  readonly dataset: Dataset;
  readonly env: TaskEnv;
}

/** One dataset × task × method (× seed): a leaderboard cell and its units. */
export interface PlannedCell {
  readonly seed: number;
  readonly datasetId: string;
  readonly dataset: Dataset;
  readonly method: MethodUse;
  readonly task: TaskPlugin;
  readonly taskOptions: Record<string, unknown>;
  /** null when the cell is n/a (the reason says why). */
  readonly units: readonly TaskUnit[] | null;
  readonly naReason: string | null;
  readonly naKind: NaKind | null;
  /** Set for a task's reference row (the humans): made by the task itself, never compared. */
  readonly reference: { readonly label: string } | null;
  /** The merged predictions file, relative to the results dir: predictions/<dataset>/<task>/<method>[.seedN].jsonl. */
  readonly file: string;
}

/** A distinct LLM configuration (provider, options and runtime): one door, shared by everyone who names it. */
export interface PlannedEndpoint {
  /** Hash of plugin, public options and runtime options (never secrets). */
  readonly key: string;
  readonly use: PluginUse<LlmPlugin>;
  readonly provider: LlmProvider;
  readonly runtime: LlmRuntime;
  /** Method ids, and "(judge)" for the judge, that call it. */
  readonly usedBy: readonly string[];
  /** Where it is configured (the first entry that names it). */
  readonly path: readonly PathSeg[];
}

/** A method's fit on one dataset (per seed), made once before its first unit. */
export interface FitStage {
  readonly seed: number;
  readonly datasetId: string;
  readonly method: string;
  /** 'fit' on a ratings dataset's train split, 'fitSessions' on a sessions dataset's. */
  readonly on: 'ratings' | 'sessions';
}

export interface Plan {
  readonly cfg: LoadedConfig;
  readonly datasets: readonly PlannedDataset[];
  readonly cells: readonly PlannedCell[];
  readonly endpoints: readonly PlannedEndpoint[];
  /** Endpoint key per method id (methods that call no LLM are absent). */
  readonly methodEndpoint: ReadonlyMap<string, string>;
  /** The judge's endpoint key, when a task needs a judge. */
  readonly judgeEndpoint: string | null;
  readonly fits: readonly FitStage[];
  /** Prompt template texts by owner (method id, or "task:<name>"). */
  readonly promptTexts: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The manifest fields the plan decides. */
  readonly manifest: Pick<Manifest, 'datasets' | 'prompts' | 'llms' | 'choices'>;
  /** The data folders the dataset loads read (absolute, sorted): what a rerun checks for changes. */
  readonly dataFolders: readonly string[];
}

export const JUDGE = '(judge)';
