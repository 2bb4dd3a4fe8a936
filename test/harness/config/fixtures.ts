import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError, formatIssue, type ConfigIssue } from '../../../harness/config/config-error.js';
import { PROJECT_ROOT } from '../../support/project.js';

/** Absolute path of the plugin API, for local plugin files written into temp dirs. */
export const PLUGIN_API = join(PROJECT_ROOT, 'harness/plugin-api.ts');

/**
 * A valid config: methods[1] is mf and tasks[0] is preference-discrimination,
 * so that `methods.1.factors` and `tasks.0.ratios` name real options.
 */
export const BASE_YAML = `name: base-run
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, users: 50, items: 100 }
methods:
  - { plugin: popularity }
  - { plugin: mf }
tasks:
  - { task: preference-discrimination }
  - { task: rating }
`;

/** A scratch directory under the OS temp dir; call cleanup() in afterAll. */
export class TempDir {
  readonly root: string;

  constructor(prefix = 'usersim-config-test-') {
    this.root = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Writes `text` to `rel` (creating folders) and returns the absolute path. */
  write(rel: string, text: string): string {
    const path = join(this.root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Awaits a promise that must reject with a ConfigError and returns it. */
export async function configError(p: Promise<unknown>): Promise<ConfigError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a ConfigError, but the promise resolved').toBeDefined();
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

/** Same, for a synchronous function. */
export function configErrorSync(fn: () => unknown): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a ConfigError, but nothing was thrown').toBeDefined();
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

/** The formatted `file:line:col: path: message` lines of an error. */
export function lines(e: ConfigError): string[] {
  return e.issues.map((i: ConfigIssue) => formatIssue(i));
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`fixture bug: "${needle}" not in text`);
  return i + 1;
}
