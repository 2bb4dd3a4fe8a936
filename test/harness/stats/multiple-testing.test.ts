import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, holm } from '../../../harness/stats/index.ts';
import { fixtures } from './fixtures.ts';

// Benjamini & Hochberg (1995), J. R. Statist. Soc. B 57:289-300, section 4: the 15 p-values of the
// thrombolysis study of Neuhaus et al. (1992).
const BH_1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0,
];

describe('holm', () => {
  it('reproduces the Holm-Bonferroni example of Wikipedia (p = 0.01, 0.03, 0.04, 0.005)', () => {
    // https://en.wikipedia.org/wiki/Holm%E2%80%93Bonferroni_method (Example): "The four unadjusted
    // p-values are 0.01, 0.03, 0.04, and 0.005" -- at alpha = 0.05 hypotheses one and four are
    // rejected. Adjusted (R p.adjust "holm"): sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06,
    // max(0.04*1, 0.06) = 0.06.
    const adj = holm([0.01, 0.03, 0.04, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 15));
    expect(adj.map((p) => p <= 0.05)).toEqual([true, false, false, true]);
  });

  it('rejects the three smallest of the Benjamini-Hochberg 1995 p-values at 0.05', () => {
    // Holm's step-down on the BH (1995) example stops at p(4) = 0.0095 > 0.05/12, as Bonferroni
    // (3 rejections, the scipy false_discovery_control docstring's FWER discussion).
    const adj = holm(BH_1995);
    expect(adj.filter((p) => p <= 0.05).length).toBe(3);
    expect(adj[0]).toBeCloseTo(0.0015, 15);
    expect(adj[3]).toBeCloseTo(0.0095 * 12, 15);
  });

  it("matches R's p.adjust(p, 'holm') formula, ties and extremes included", () => {
    for (const c of fixtures.multipleTesting) {
      const adj = holm(c.p);
      c.holm.forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
    }
  });
});

describe('benjaminiHochberg', () => {
  it('reproduces the Benjamini-Hochberg 1995 example as adjusted by scipy.stats.false_discovery_control', () => {
    // https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.false_discovery_control.html (Examples):
    // [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765, 0.486,
    //  0.58118182, 0.714875, 0.75323077, 0.81321429, 1.] -- the four smallest are rejected at 0.05.
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714, 0.06385714, 0.0645, 0.0765, 0.486, 0.58118182, 0.714875,
      0.75323077, 0.81321429, 1,
    ];
    const adj = benjaminiHochberg(BH_1995);
    expected.forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 8));
    expect(adj.filter((p) => p <= 0.05).length).toBe(4);
  });

  it('matches scipy.stats.false_discovery_control in input order', () => {
    for (const c of fixtures.multipleTesting) {
      const adj = benjaminiHochberg(c.p);
      c.bh.forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
    }
  });

  it('keeps the input order and never lowers a p-value', () => {
    const p = [0.5, 0.001, 0.04, 0.2];
    const bh = benjaminiHochberg(p);
    const ho = holm(p);
    p.forEach((v, i) => {
      expect(bh[i]).toBeGreaterThanOrEqual(v);
      expect(ho[i]).toBeGreaterThanOrEqual(bh[i] as number);
    });
    expect(bh[1]).toBeCloseTo(0.004, 15);
  });
});

describe('multiple testing input', () => {
  it('a single p-value is unchanged', () => {
    expect(holm([0.03])).toEqual([0.03]);
    expect(benjaminiHochberg([0.03])).toEqual([0.03]);
  });

  it('rejects empty lists and values outside [0, 1]', () => {
    expect(() => holm([])).toThrow(/empty/);
    expect(() => benjaminiHochberg([])).toThrow(/empty/);
    expect(() => holm([0.1, 1.2])).toThrow(/\[0, 1\]/);
    expect(() => benjaminiHochberg([NaN])).toThrow(/\[0, 1\]/);
  });
});
