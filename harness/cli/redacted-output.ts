import { redact } from '../util/secrets.js';

const GUARDED = Symbol.for('usersim.redacted-output');

/**
 * Makes every string written to the stream pass the redactor: what the CLI
 * prints (messages, progress, the leaderboard, a plugin's console output)
 * never shows a secret, whoever wrote it.
 */
export function redactOutput(stream: NodeJS.WriteStream): void {
  const s = stream as NodeJS.WriteStream & { [GUARDED]?: true };
  if (s[GUARDED]) return;
  s[GUARDED] = true;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? redact(chunk) : chunk, ...rest)) as typeof stream.write;
}
