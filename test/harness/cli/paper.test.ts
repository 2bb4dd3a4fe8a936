import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeCostSection } from '../../../harness/cli/readme-cost.ts';
import { readSuite } from '../../../harness/cli/run-suite.ts';
import { loadConfig } from '../../../harness/config/load.ts';
import { buildPlan } from '../../../harness/plan/build-plan.ts';
import { PROJECT_ROOT } from '../../../harness/results/manifest.ts';
import { loadReported } from '../../../harness/results/reported-values.ts';

const quiet = { info: () => {}, warn: () => {} };

describe('the paper configs for Tables 3 and 4', () => {
  it('Table 3 and 4 configs validate; their methods and the reported cells name the same ids', async () => {
    const reported = loadReported(join(PROJECT_ROOT, 'configs/reported/alignuser-2026.yaml')).cells;
    for (const [file, task, methods] of [
      [
        'configs/paper/table3-next-action.yaml',
        'next-action',
        [
          'zero-shot-gpt-4.1',
          'zero-shot-claude-3.7',
          'zero-shot-llama-3.3',
          'recagent',
          'agent4rec',
          'simuser',
          'alignuser',
          'alignuser-plus',
          'markov',
        ],
      ],
      [
        'configs/paper/table4-consistency.yaml',
        'opera-consistency',
        ['recagent', 'agent4rec', 'simuser', 'alignuser', 'alignuser-plus'],
      ],
    ] as const) {
      const cfg = await loadConfig(file, { env: {} });
      expect(cfg.methods.map((m) => m.id).sort()).toEqual([...methods].sort());
      expect(cfg.datasets.map((d) => [d.plugin.name, d.options['variant']])).toEqual([['opera', 'filtered']]);
      expect(cfg.reported).not.toBeNull();
      const mine = reported.filter((c) => c.task === task);
      expect(mine.length).toBeGreaterThan(0);
      for (const c of mine) {
        expect([...methods, 'human'], `${c.method} in ${file}`).toContain(c.method);
        expect(c.data?.key).toBe('opera-filtered');
      }
      if (task === 'next-action') {
        // Each zero-shot row has its own model; Llama's endpoint is a baseURL to fill in.
        const llm = (id: string) => cfg.methods.find((m) => m.id === id)?.llm;
        expect(llm('zero-shot-gpt-4.1')?.options['model']).toBe('gpt-4.1');
        expect(llm('zero-shot-claude-3.7')?.plugin.name).toBe('anthropic');
        expect(llm('zero-shot-llama-3.3')?.options['baseURL']).toMatch(/^http/);
      } else expect(cfg.judge?.options['model']).toBe('gpt-4.1');
    }
  });

  it('their local variants plan offline on synthetic-sessions, with the Human (OPeRA) row in Table 4', async () => {
    for (const file of ['configs/paper/local/table3-synthetic.yaml', 'configs/paper/local/table4-synthetic.yaml']) {
      const plan = await buildPlan(await loadConfig(file, { env: {} }), { log: quiet });
      expect(
        plan.endpoints.every((e) => e.provider.provider === 'offline'),
        file,
      ).toBe(true);
      expect(
        plan.cells.filter((c) => !c.reference).every((c) => (c.units?.length ?? 0) > 0),
        file,
      ).toBe(true);
      const human = plan.cells.filter((c) => c.reference);
      expect(human.map((c) => c.reference?.label)).toEqual(file.includes('table4') ? ['Human (OPeRA)'] : []);
    }
  });

  it('the suite files list every table and human-likeness', () => {
    for (const file of ['configs/paper/all.yaml', 'configs/paper/local/all.yaml']) {
      const entries = readSuite(file) ?? [];
      expect(entries).toHaveLength(5);
      expect(
        entries
          .map((e) =>
            e.file
              .split('/')
              .pop()
              ?.replace(/-(ml100k|synthetic)/, ''),
          )
          .sort(),
      ).toEqual(
        file.includes('local')
          ? ['human-likeness.yaml', 'table1.yaml', 'table2.yaml', 'table3.yaml', 'table4.yaml']
          : [
              'human-likeness.yaml',
              'table1-preference.yaml',
              'table2-rating.yaml',
              'table3-next-action.yaml',
              'table4-consistency.yaml',
            ],
      );
    }
    expect(readSuite('configs/quickstart.yaml')).toBeNull();
  });

  it("the README's cost table is the output of usersim estimate (npm run docs rewrites it)", async () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf('<!-- cost:begin');
    const end = readme.indexOf('<!-- cost:end -->');
    expect(begin).toBeGreaterThan(0);
    expect(readme.slice(readme.indexOf('\n', begin) + 1, end)).toBe(await readmeCostSection());
  }, 240_000);
});
