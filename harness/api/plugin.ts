/** What every plugin kind shares (type-only: a contract, no code). */
import type { TSchema } from '@sinclair/typebox';

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

export interface PluginBase<S extends TSchema> {
  readonly name: string;
  readonly description: string;
  readonly options: S;
  /** Choices the plugin makes that the papers leave open (marked "ours" in its README and the manifest). */
  readonly choices?: readonly string[];
}
