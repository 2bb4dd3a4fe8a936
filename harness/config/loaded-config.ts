import type { ReportedValues } from '../results/reported-values.js';
import type { DatasetPlugin } from '../api/dataset.js';
import type { LlmPlugin } from '../api/llm.js';
import type { MethodPlugin } from '../api/method.js';
import type { RecommenderPlugin } from '../api/recommender.js';
import type { TaskPlugin } from '../api/task.js';
import type { ConfigIssue, PathSeg } from './config-error.js';
import type { RawConfig } from './schema.js';

export interface PluginUse<P> {
  readonly id: string;
  readonly plugin: P;
  /** Directory of the config file that wrote this entry: its relative paths resolve against it. */
  readonly baseDir: string;
  /** Where the entry is in the config (for messages that name file:line). */
  readonly path: readonly PathSeg[];
  /** Validated options with defaults; secrets interpolated (never written anywhere). */
  readonly options: Record<string, unknown>;
}

export interface MethodUse extends PluginUse<MethodPlugin> {
  readonly llm: PluginUse<LlmPlugin> | null;
}

export interface TaskUse {
  readonly task: TaskPlugin;
  readonly options: Record<string, unknown>;
  /** The method ids the task runs (`methods:` on the task entry); null: every method. */
  readonly methods: readonly string[] | null;
  /** Directory of the config file that wrote this entry. */
  readonly baseDir: string;
  readonly path: readonly PathSeg[];
}

export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  /** The files of the extends: chain, this one first. */
  readonly layers: readonly string[];
  /** Defaults applied; ${VAR} references kept as written. */
  readonly resolved: RawConfig;
  /** SHA-256 of the resolved config minus keys that do not change results. */
  readonly hash: string;
  readonly seeds: readonly number[];
  readonly datasets: readonly PluginUse<DatasetPlugin>[];
  readonly methods: readonly MethodUse[];
  /** The recommenders a recommender-evaluation task shows the simulated users; empty when none are configured. */
  readonly recommenders: readonly PluginUse<RecommenderPlugin>[];
  /** The LLM judge of tasks that need one: `judge:`, else the top-level llm; null when neither is configured. */
  readonly judge: PluginUse<LlmPlugin> | null;
  readonly tasks: readonly TaskUse[];
  readonly overrides: readonly string[];
  /** report.reported resolved against the file that named it; null when none. */
  readonly reportedPath: string | null;
  /** Its contents, read and checked once at load. */
  readonly reported: ReportedValues | null;
  /** Where a config path was written (file:line, or the --set that made it), for later stages' config errors. */
  locate(path: readonly PathSeg[], key?: boolean): Omit<ConfigIssue, 'path' | 'message'>;
}
