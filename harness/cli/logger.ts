import type { Logger } from '../api/plugin.js';
import { redact } from '../util/secrets.js';

/** Messages go to stderr so that stdout carries only the leaderboard or report; secrets never. */
export function stderrLogger(quiet = false): Logger {
  return {
    info: (m) => {
      if (!quiet) process.stderr.write(`${redact(m)}\n`);
    },
    warn: (m) => process.stderr.write(`warning: ${redact(m)}\n`),
  };
}
