import { spawnSync } from 'node:child_process';
import { CLI, PROJECT_ROOT, TSX } from '../../support/project.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in the project root, like `npx usersim ...args`.
 *
 * By default this is `node --import tsx harness/cli/main.ts`: the same tsx
 * loader as node_modules/.bin/tsx without its extra relay process, which
 * halves the start-up time. `{ bin: true }` runs node_modules/.bin/tsx itself.
 */
export function runCli(args: readonly string[], opts: { bin?: boolean } = {}): CliResult {
  const [cmd, argv] = opts.bin ? [TSX, [CLI, ...args]] : [process.execPath, ['--import', 'tsx', CLI, ...args]];
  const r = spawnSync(cmd, argv, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
