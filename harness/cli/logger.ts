import type { Logger } from '../api/plugin.js';

/** Messages go to stderr so that stdout carries only the leaderboard or report. */
export function stderrLogger(quiet = false): Logger {
  return {
    info: (m) => {
      if (!quiet) process.stderr.write(`${m}\n`);
    },
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  };
}
