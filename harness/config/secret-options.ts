import type { TSchema } from '@sinclair/typebox';
import { registerSecret, registerSecretEnv } from '../util/secrets.js';
import type { PathSeg } from './config-error.js';
import { envRefsOf, hasEnvRef, interpolateEnv } from './interpolate.js';

export function isSecret(schema: TSchema, key: string): boolean {
  const prop = (schema as { properties?: Record<string, { secret?: boolean }> }).properties?.[key];
  return prop?.secret === true;
}

/** Options a schema marks `secretEnv` name a variable whose value is a secret (e.g. apiKeyEnv): the redactor learns it now. */
export function registerSecretEnvOptions(
  schema: TSchema,
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): void {
  const props = (schema as { properties?: Record<string, { secretEnv?: boolean }> }).properties ?? {};
  for (const [k, v] of Object.entries(options))
    if (props[k]?.secretEnv === true && typeof v === 'string') registerSecretEnv(v, env);
}

/** Returns the options a plugin receives: ${VAR} filled from the environment in secret fields. */
export function interpolateSecrets(
  schema: TSchema,
  options: Record<string, unknown>,
  prefix: PathSeg[],
  env: NodeJS.ProcessEnv,
  report: (p: PathSeg[], m: string) => void,
  secretPaths: Set<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  for (const [k, v] of Object.entries(options)) {
    if (!isSecret(schema, k)) continue;
    if (!hasEnvRef(v)) {
      // A secret written into the config itself: hidden under its config key.
      if (typeof v === 'string') registerSecret([...prefix, k].join('.'), v);
      continue;
    }
    secretPaths.add([...prefix, k].join('\u0000'));
    for (const name of envRefsOf(v)) registerSecretEnv(name, env);
    const r = interpolateEnv(v, env);
    if (r.missing.length > 0)
      report(
        [...prefix, k],
        `environment variable ${r.missing.join(', ')} is not set: export it before running (its value is never written to results)`,
      );
    out[k] = r.value;
  }
  return out;
}
