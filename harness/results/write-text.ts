import { renameSync, writeFileSync } from 'node:fs';
import { redact } from '../util/secrets.js';

/** Write-then-rename, so a reader never sees half a file; secrets never reach it. */
export function writeText(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, redact(text));
  renameSync(tmp, path);
}

export function writeJson(path: string, value: unknown): void {
  writeText(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeBytes(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
