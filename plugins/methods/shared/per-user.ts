import type { Llm, UnitContext } from '../../../harness/plugin-api.js';

/**
 * A piece of per-user state through the runner's per-user record (built once,
 * its calls charged once, whichever unit asks first and however the run is
 * cut); outside the runner (unit tests) it is built with the unit's own LLM,
 * and the plugin's own memo shares it.
 */
export function perUser<T>(
  unit: UnitContext,
  user: string,
  name: string,
  build: (llm: Llm | null) => Promise<T>,
): Promise<T> {
  return unit.perUser ? unit.perUser(user, name, build) : build(unit.llm);
}

/** `perUser`, with `local` as the plugin's own memo outside the runner, so that a unit test builds the state once too. */
export function perUserOnce<T>(
  local: Map<string, Promise<unknown>>,
  unit: UnitContext,
  user: string,
  name: string,
  build: (llm: Llm | null) => Promise<T>,
): Promise<T> {
  if (unit.perUser) return unit.perUser(user, name, build);
  const key = `${user}|${name}`;
  let p = local.get(key) as Promise<T> | undefined;
  if (!p) local.set(key, (p = build(unit.llm)));
  return p;
}
