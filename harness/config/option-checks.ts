import type { ErrorObject, ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import type { OptionIssue } from '../api/plugin.js';
import { didYouMean } from '../util/suggest.js';
import type { ConfigRef } from '../api/task.js';
import type { PathSeg } from './config-error.js';

/** A plugin's own cross-field checks (min ≤ max, fractions summing to 1), each issue at its option's place. */
export function crossCheck(
  check: ((options: never) => readonly OptionIssue[]) | undefined,
  options: Record<string, unknown>,
  prefix: PathSeg[],
  report: (p: PathSeg[], m: string) => void,
): void {
  for (const issue of check?.(options as never) ?? []) report([...prefix, ...issue.path], issue.message);
}

export function validateOptions(
  validate: ValidateFunction,
  _schema: TSchema,
  options: Record<string, unknown>,
  prefix: PathSeg[],
  report: (p: PathSeg[], m: string, key?: boolean) => void,
  what: string,
): void {
  validate(options);
  for (const e of collapseErrors(validate.errors ?? [])) reportAjv(e, prefix, report, what);
}

/** anyOf produces one error per branch plus its own: keep one readable message per place. */
export function collapseErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (anyOfPaths.has(e.instancePath) && e.keyword !== 'anyOf') continue;
    if (e.keyword === 'anyOf') {
      const branches = (
        (e.parentSchema as { anyOf?: Array<{ type?: string; const?: unknown }> } | undefined)?.anyOf ?? []
      ).map((b) => (b.const !== undefined ? JSON.stringify(b.const) : (b.type ?? 'other')));
      const consts = ((e.parentSchema as { anyOf?: Array<{ const?: unknown }> } | undefined)?.anyOf ?? [])
        .filter((b) => b.const !== undefined)
        .map((b) => String(b.const));
      const hint = typeof e.data === 'string' && consts.length > 0 ? didYouMean(e.data, consts) : '';
      out.push({ ...e, message: `must be ${branches.join(' or ')}`, params: { ...e.params, hint } });
      continue;
    }
    out.push(e);
  }
  return out;
}

export function pointerToPath(pointer: string): PathSeg[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function reportAjv(
  e: ErrorObject,
  prefix: PathSeg[],
  report: (p: PathSeg[], m: string, key?: boolean) => void,
  what?: string,
): void {
  const path = [...prefix, ...pointerToPath(e.instancePath)];
  const of = what ? ` of ${what}` : '';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
      );
      report(
        [...path, key],
        `unknown key "${key}"${of}.${didYouMean(key, known)} Known keys: ${known.join(', ')}`,
        true,
      );
      return;
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      report(path, `missing required key "${key}"${of}`, true);
      return;
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const got = String(e.data);
      report(
        path,
        `${JSON.stringify(e.data)} is not allowed${of}.${didYouMean(got, allowed.map(String))} Allowed: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
      );
      return;
    }
    case 'type':
      report(path, `${e.message ?? 'wrong type'}${of} (got ${describe(e.data)})`);
      return;
    default:
      report(
        path,
        `${e.message ?? e.keyword}${of}${e.keyword === 'anyOf' ? ` (got ${describe(e.data)}).${String((e.params as { hint?: string }).hint ?? '')}` : ''}`,
      );
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * A task option that names entries of another config list. A list option left
 * null means every entry (the ids are written into the options, so the task's
 * columns and the manifest name them); a single one left null means none.
 */
export function resolveRef(
  ref: ConfigRef,
  options: Record<string, unknown>,
  ids: readonly string[],
  path: PathSeg[],
  report: (p: PathSeg[], m: string) => void,
): void {
  const named = options[ref.option];
  if (ref.many && (named === null || named === undefined)) {
    if (ids.length === 0)
      report(
        path,
        `this task puts ${ref.list} in front of the simulated users: add a top-level "${ref.list}:" list (e.g. recommenders: [{ plugin: random }, { plugin: pop }])`,
      );
    options[ref.option] = [...ids];
    return;
  }
  const what = ref.list.replace(/s$/, '');
  const check = (id: unknown, at: PathSeg[]) => {
    if (typeof id === 'string' && !ids.includes(id))
      report(
        at,
        `"${id}" is not a ${what} id of this config.${didYouMean(id, [...ids])} Configured: ${ids.join(', ') || `(none: add a top-level "${ref.list}:" list)`}`,
      );
  };
  if (Array.isArray(named)) named.forEach((id, k) => check(id, [...path, ref.option, k]));
  else check(named, [...path, ref.option]);
}

export function checkUnique(list: string, ids: string[], report: (p: PathSeg[], m: string) => void): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id))
      report([list, i], `"${id}" appears twice in ${list}: give one of them a distinct id: (e.g. id: ${id}-2)`);
    seen.add(id);
  });
}
