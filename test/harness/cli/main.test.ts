import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parserOptions } from '../../../harness/cli/args.js';
import { readmeCliSection } from '../../../harness/cli/readme-section.js';
import { COMMANDS, RUN } from '../../../harness/cli/spec.js';
import { PROJECT_ROOT } from '../../support/project.js';
import { usersim } from './in-process.js';
import { runCli } from './run-cli.js';

/** Every spec with flags: the commands and their subcommands. */
const leaves = COMMANDS.flatMap((c) => c.subcommands ?? [c]);

describe('usersim (top level)', () => {
  it('an unknown command exits 2 with a suggestion, on one line', () => {
    const r = runCli(['valdate', 'configs/quickstart.yaml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usersim: unknown command "valdate"\. Did you mean "validate"\? Commands: run, /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--help lists every flag that run accepts, taken from the parser run uses', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    const runLine = top.stdout.split('\n').find((l) => l.trimStart().startsWith('usersim run ')) ?? '';
    const accepted = Object.keys(parserOptions(RUN)).filter((k) => k !== 'help');
    expect(accepted).toEqual(
      expect.arrayContaining(['set', 'fresh', 'limit', 'retry-errors', 'shard', 'cache-only', 'quiet']),
    );
    for (const flag of accepted) expect(runLine).toContain(`[--${flag}`);
    // ... and every other command's flags too, with validate --set and report --decimals.
    for (const c of leaves) for (const f of c.flags) expect(top.stdout).toContain(`--${f.name}`);
    expect(top.stdout).toMatch(/usersim validate CONFIG \[--set KEY\.PATH=VALUE\]\.\.\. \[--plan\]/);
    expect(top.stdout).toMatch(/usersim report RESULTS_DIR \[--format txt\|md\|csv\|tex\|html\] \[--decimals N\]/);
    expect(top.stdout).toMatch(/usersim compare RUN_A RUN_B \[--tolerance X\]/);
  });

  it('each command --help prints its usage and every flag its parser accepts', async () => {
    for (const c of leaves) {
      const r = await usersim([...c.name.split(' '), '--help']);
      expect(r.status, c.name).toBe(0);
      expect(r.stdout.startsWith(`usersim ${c.name}`), c.name).toBe(true);
      for (const k of Object.keys(parserOptions(c))) expect(r.stdout, `${c.name} --${k}`).toContain(`--${k}`);
    }
  });

  it('usage mistakes are one line, exit 2, with no stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['run', 'configs/quickstart.yaml', '--retry-error'],
        /^usersim run: Unknown option '--retry-error'\. Did you mean "--retry-errors"\. See: usersim run --help$/,
      ],
      [['run'], /^usersim run: run needs exactly CONFIG \(got none\)\. See: usersim run --help$/],
      [
        ['run', 'configs/quickstart.yaml', '--limit', 'x'],
        /^usersim run: --limit needs a positive whole number, got "x"$/,
      ],
      [['compare', 'a'], /^usersim compare: compare needs exactly RUN_A RUN_B \(got a\)/],
      [
        ['compare', '/nonexistent/a', '/nonexistent/b'],
        /^usersim compare: \/nonexistent\/a\/metrics\.json does not exist/,
      ],
      [
        ['report', 'x', '--format', 'pdf'],
        /^usersim report: --format must be one of txt, md, csv, tex, html, got "pdf"/,
      ],
      [
        ['cache', 'stat'],
        /^usersim cache: unknown cache subcommand "stat"\. Did you mean "stats"\. See: usersim cache --help$/,
      ],
      [
        ['validate', 'configs/quickstart.yaml', '--set', 'report.baseline=null'],
        /^usersim validate: --set report\.baseline=null: report\.baseline: must be string \(got null\)$/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await usersim(argv);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr.trimEnd(), argv.join(' ')).toMatch(message);
    }
  });

  it("the README's CLI section is the one generated from the spec (npm run docs rewrites it)", () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf('<!-- cli:begin');
    const end = readme.indexOf('<!-- cli:end -->');
    expect(begin).toBeGreaterThan(0);
    expect(readme.slice(readme.indexOf('\n', begin) + 1, end)).toBe(readmeCliSection());
  });
});
