/** What every plugin kind shares (type-only: a contract, no code). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { Dataset } from '../data/types.js';

/** The kinds of plugin, each with its own folder under plugins/ and its own index file there. */
export type PluginKind = 'dataset' | 'recommender' | 'llm' | 'method' | 'task';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface BaseContext {
  /** The run seed (or the current seed of a multi-seed run). */
  readonly seed: number;
  /** Directory of the config file: relative paths in options resolve against it. */
  readonly configDir: string;
  readonly log: Logger;
}

/** A problem with a plugin's options that the schema alone cannot see (min above max, fractions not summing to 1). */
export interface OptionIssue {
  /** The option, relative to the plugin's entry: ['maxRatings'], or ['fractions', 1] for one element. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what to write instead, in one line. */
  readonly message: string;
}

export interface PluginBase<S extends TSchema> {
  readonly name: string;
  readonly description: string;
  readonly options: S;
  /** Choices the plugin makes that the papers leave open (marked "ours" in its README and the manifest). */
  readonly choices?: readonly string[];
  /**
   * Cross-field checks of the validated options (defaults applied), run at
   * config load: each issue becomes a config error at the option's file:line.
   * Only for combinations the schema cannot express; empty when all is well.
   */
  check?(options: Static<S>): readonly OptionIssue[];
  /**
   * Checks that need the loaded data, run by the plan on every dataset the
   * plugin meets (a dataset plugin: its own): a threshold must lie inside the
   * dataset's rating scale, a size must leave something to evaluate.
   */
  checkDataset?(options: Static<S>, dataset: Dataset): readonly OptionIssue[];
}
