import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { PROJECT_ROOT } from '../../support/project.js';
import { runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-cli-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BAD = `name: bad
seed: 2024
concurrancy: 4
llm: { plugin: offline }
datasets:
  - plugin: synthetic-ratings
    users: many
methods:
  - { plugin: popularity }
  - { plugin: mff }
tasks:
  - { task: rating }
`;

describe('usersim validate', () => {
  it('a bad config: exit 2, every problem on stderr with line numbers and suggestions', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, BAD);
    const r = runCli(['validate', file], { bin: true });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const err = r.stderr;
    // One line per problem, each prefixed, so that grep and editors can jump to it.
    expect(err.trimEnd().split('\n')).toHaveLength(3);
    for (const line of err.trimEnd().split('\n')) expect(line).toMatch(/^usersim validate: \S+bad\.yaml:\d+:\d+: /);
    expect(err).toContain(`${file}:3:1: concurrancy: unknown key "concurrancy". Did you mean "concurrency"?`);
    expect(err).toContain(
      `${file}:7:12: datasets[0].users: must be integer of dataset "synthetic-ratings" (got string "many")`,
    );
    expect(err).toContain(
      `${file}:10:15: methods[1].plugin: unknown method plugin "mff". Did you mean "mf"? Available: `,
    );
    // no stack trace for a config error
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('configs/quickstart.yaml is valid: exit 0 and the same hash as loadConfig', async () => {
    const r = runCli(['validate', 'configs/quickstart.yaml']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const cfg = await loadConfig(join(PROJECT_ROOT, 'configs/quickstart.yaml'), { env: {} });
    expect(r.stdout).toBe(
      `configs/quickstart.yaml: valid. ${cfg.datasets.length} dataset(s), ${cfg.methods.length} method(s), ${cfg.tasks.length} task(s), seeds ${cfg.seeds.join(', ')}; 6 cell(s), 2304 unit(s); config hash ${cfg.hash}\n`,
    );
    expect(cfg.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cfg.methods.map((m) => m.id)).toContain('mf');
  });

  it('--help prints usage and exits 0', () => {
    const r = runCli(['validate', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usersim validate CONFIG/);
    expect(r.stdout).toContain('Exit codes: 0 valid, 2 problems found.');
  });
});
