const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function hasEnvRef(v: unknown): v is string {
  return typeof v === 'string' && v.includes('${');
}

/** The variables a ${VAR} string names. */
export function envRefsOf(value: string): string[] {
  return [...value.matchAll(REF)].map((m) => m[1] as string);
}

/**
 * Replaces ${VAR} with the environment's value. Only fields a plugin schema
 * marks `secret: true` get here; the resolved config in the manifest keeps the
 * ${VAR} form, so a secret never reaches a results file.
 */
export function interpolateEnv(value: string, env: NodeJS.ProcessEnv): { value: string; missing: string[] } {
  const missing: string[] = [];
  const out = value.replace(REF, (_m, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') {
      missing.push(name);
      return '';
    }
    return v;
  });
  return { value: out, missing };
}
