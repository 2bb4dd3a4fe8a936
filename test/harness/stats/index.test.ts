import { describe, expect, it } from 'vitest';
import * as stats from '../../../harness/stats/index.ts';

describe('harness/stats public API', () => {
  it('exports the statistics functions under their agreed names', () => {
    for (const name of [
      'bootstrapCi',
      'pairedBootstrapTest',
      'permutationTest',
      'mcnemarExact',
      'wilcoxonSignedRank',
      'pairedTTest',
      'holm',
      'benjaminiHochberg',
    ]) {
      expect(typeof (stats as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('every test that takes an alternative refuses to guess the direction', () => {
    const a = [1, 2, 3, 4, 5];
    const b = [1.5, 1, 2, 3, 4];
    const calls: Array<[string, () => unknown]> = [
      // @ts-expect-error: alternative missing
      ['pairedBootstrapTest', () => stats.pairedBootstrapTest(a, b, { B: 100, seed: 1 })],
      // @ts-expect-error: alternative missing
      ['permutationTest', () => stats.permutationTest(a, b, { B: 100, seed: 1 })],
      // @ts-expect-error: alternative missing
      ['wilcoxonSignedRank', () => stats.wilcoxonSignedRank(a, b, {})],
      // @ts-expect-error: alternative missing
      ['pairedTTest', () => stats.pairedTTest(a, b, {})],
    ];
    for (const [name, call] of calls)
      expect(call, name).toThrow(new RegExp(`${name}: options.alternative is required`));
  });

  it('empty input is an error that names the function and what was empty, for every function', () => {
    const opts = { B: 100, seed: 1, alternative: 'greater' as const };
    expect(() => stats.bootstrapCi([], { B: 100, level: 0.95, seed: 1 })).toThrow(/bootstrapCi: values is empty/);
    expect(() => stats.pairedBootstrapTest([], [], opts)).toThrow(/pairedBootstrapTest: a and b are empty/);
    expect(() => stats.permutationTest([], [], opts)).toThrow(/permutationTest: a and b are empty/);
    expect(() => stats.mcnemarExact([], [])).toThrow(/mcnemarExact: a and b are empty/);
    expect(() => stats.wilcoxonSignedRank([], [], opts)).toThrow(/wilcoxonSignedRank: a and b are empty/);
    expect(() => stats.pairedTTest([], [], opts)).toThrow(/pairedTTest: a and b are empty/);
    expect(() => stats.holm([])).toThrow(/holm: pValues is empty/);
    expect(() => stats.benjaminiHochberg([])).toThrow(/benjaminiHochberg: pValues is empty/);
  });
});
