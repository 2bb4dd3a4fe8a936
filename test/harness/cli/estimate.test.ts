import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../harness/cli/estimate-cost.ts';
import { usersim } from './in-process.ts';

const quiet = { info: () => {}, warn: () => {} };
const SETS = [
  'methods=[{plugin: markov}, {plugin: zero-shot, llm: {plugin: openai, model: gpt-4.1-mini}}]',
  'judge={plugin: openai, model: gpt-4.1}',
  'tasks.0.maxSteps=3',
];

describe('usersim estimate', () => {
  it('projects each method, the judge apart, at the configured prices, with no key and nothing written', async () => {
    const e = await estimateCost('configs/opera-consistency.yaml', { sets: SETS, sample: 4, log: quiet });
    const row = (method: string, part: string) => e.rows.find((r) => r.method === method && r.part === part);
    const zs = row('zero-shot', 'units');
    const judge = row('(judge)', 'judge');
    expect(row('markov', 'units')?.model).toBeNull();
    expect(row('markov', 'units')?.projection.calls).toBe(0);
    expect(zs?.model).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
    expect(zs?.sampled).toBe(4);
    // One judge call per simulated session, for both methods: exact, so no sampling error.
    expect(judge?.model).toMatchObject({ provider: 'openai', model: 'gpt-4.1' });
    expect(judge?.projection.calls).toBe(2 * (zs?.total ?? 0));
    expect(judge?.projection.callsError).toBe(0);
    // At most 3 steps per session, one call each.
    expect(zs?.projection.calls).toBeGreaterThan(0);
    expect(zs?.projection.calls).toBeLessThanOrEqual(3 * (zs?.total ?? 0));
    // gpt-4.1 costs 5x gpt-4.1-mini per token.
    const perToken = (r: typeof zs) =>
      (r?.projection.costUsd ?? 0) / ((r?.projection.input ?? 0) * 2 + (r?.projection.output ?? 0) * 8);
    expect(perToken(judge)).toBeCloseTo(1e-6, 8);
    expect(e.total.calls).toBeCloseTo((zs?.projection.calls ?? 0) + (judge?.projection.calls ?? 0), 6);

    const r = await usersim([
      'estimate',
      'configs/opera-consistency.yaml',
      ...SETS.flatMap((s) => ['--set', s]),
      '--sample',
      '4',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ \(judge\)\s+│ judge\s+│ openai\/gpt-4\.1\s+│/);
    expect(r.stdout).toMatch(/│ total\s+│/);
    expect(r.stdout).toContain('Projected from the first 4 unit(s) of each cell');
  }, 120_000);
});
