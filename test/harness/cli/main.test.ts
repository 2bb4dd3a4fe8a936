import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('usersim (top level)', () => {
  it('an unknown command exits 2 with a suggestion', () => {
    const r = runCli(['valdate', 'configs/quickstart.yaml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usersim: unknown command "valdate"\. Did you mean "validate"\?\n/);
    expect(r.stderr).toContain('Usage:');
  });

  it('run --help prints usage and options and exits 0', () => {
    const r = runCli(['run', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usersim run CONFIG \[options\]/);
    for (const opt of ['--set key.path=value', '--fresh', '--limit N', '--allow-local-plugins'])
      expect(r.stdout).toContain(opt);
  });

  it('report --help prints usage and exits 0', () => {
    const r = runCli(['report', '-h']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usersim report RESULTS_DIR/);
    expect(r.stdout).toContain('--format');
  });
});
