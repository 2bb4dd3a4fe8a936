import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { describeOptions, listCommand } from '../../../harness/cli/commands/list.js';
import { parseArgv } from '../../../harness/cli/args.js';
import { UsageError } from '../../../harness/cli/exit-codes.js';
import { runCli } from './run-cli.js';

describe('usersim list', () => {
  it('list methods prints mf with its options, types and defaults', () => {
    const r = runCli(['list', 'methods']);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^methods:\n/);
    expect(out).toMatch(/^ {2}mf — .+$/m);
    expect(out).toMatch(/^ {6}factors: integer = 100 {2}— /m);
    expect(out).toMatch(/^ {6}epochs: integer = 20\b/m);
    expect(out).toMatch(/^ {6}lr: number = 0\.005\b/m);
    expect(out).toMatch(/^ {2}popularity — /m);
    expect(out).toMatch(/^ {2}zero-shot — /m);
    // only the kind asked for
    expect(out).not.toContain('datasets:');
    expect(out).not.toContain('tasks:');
  });

  it('list --help prints usage and exits 0', () => {
    const r = runCli(['list', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usersim list \[datasets\|methods\|llms\|recommenders\|tasks\]/);
  });

  it('an unknown kind is a usage error with a suggestion (in process)', async () => {
    await expect(listCommand(parseArgv(['list', 'method']))).rejects.toThrow(UsageError);
    await expect(listCommand(parseArgv(['list', 'method']))).rejects.toThrow(
      /^unknown kind "method"\. Did you mean "methods"\? Kinds: datasets, methods, llms, recommenders, tasks$/,
    );
  });
});

describe('describeOptions', () => {
  it('shows type, default or (required), union branches and description', () => {
    const schema = Type.Object({
      a: Type.Integer({ default: 3, description: 'the a' }),
      b: Type.String(),
      c: Type.Optional(Type.Number()),
      d: Type.Union([Type.Literal('x'), Type.Null()], { default: null }),
    });
    expect(describeOptions(schema)).toEqual([
      '      a: integer = 3  — the a',
      '      b: string (required)',
      '      c: number',
      '      d: "x" | null = null',
    ]);
  });
});
