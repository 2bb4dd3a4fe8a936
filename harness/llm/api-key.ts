import { registerSecretEnv } from '../util/secrets.js';
import { ProviderError } from './provider-error.js';

/** Reads an API key from the environment at the moment it is needed; the value never leaves the provider. */
export function apiKeyFrom(envName: string, what: string): string {
  const v = process.env[envName];
  if (v === undefined || v.trim() === '') {
    throw new ProviderError(
      `${envName} is not set: export your ${what} API key in that variable (keys are read from the environment only)`,
      401,
      null,
      'missing-key',
    );
  }
  // Whatever reads a key makes it a secret, so a plugin that never declared it is covered too.
  registerSecretEnv(envName);
  return v;
}
