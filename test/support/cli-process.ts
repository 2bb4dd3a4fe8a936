import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, PROJECT_ROOT } from './project.js';

// An absolute loader path: a child running in a temp dir could not resolve `--import tsx`.
const TSX_LOADER = pathToFileURL(join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The CLI in a child process in `cwd`, without blocking this process (unlike
 * spawnSync, so fake servers and watchers here keep running). `started` gets
 * the child, e.g. to send it a signal; `onStderr` sees stderr as it arrives.
 */
export function cliProcess(
  args: readonly string[],
  cwd: string,
  opts: {
    env?: Record<string, string>;
    started?: (child: ChildProcess) => void;
    onStderr?: (all: string) => void;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    opts.started?.(child);
  });
}
