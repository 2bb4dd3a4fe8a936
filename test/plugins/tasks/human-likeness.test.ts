import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowseOutcome, Simulator } from '../../../harness/plugin-api.ts';
import { Rng } from '../../../harness/util/rng.ts';
import task, { visitLog } from '../../../plugins/tasks/human-likeness/index.ts';
import { handDataset, range, rows, userView } from '../../support/hand-dataset.ts';
import { scriptedLlm } from '../../support/scripted-llm.ts';

// u1 rated items 1-10 in train and 11-16 held out; u2 rated 20-30 in train; items 1-40 exist.
const ds = handDataset(
  {
    train: [...rows('u1', range(1, 10)), ...rows('u2', range(20, 30))],
    valid: rows('u1', [11, 12, 13], 5, 100),
    test: rows('u1', [14, 15, 16], 2, 200),
  },
  { nItems: 40 },
);
const options = { users: null, heldOutItems: 4, pageSize: 3 };
const prompts = {
  judgeSystem: readFileSync(
    new URL('../../../plugins/tasks/human-likeness/prompts/judge-system.md', import.meta.url),
    'utf8',
  ),
  judge: readFileSync(new URL('../../../plugins/tasks/human-likeness/prompts/judge.md', import.meta.url), 'utf8'),
};

describe('human-likeness', () => {
  it("mixes the user's latest held-out items with as many never-interacted training items, in pages", () => {
    const units = task.buildUnits(ds, options, new Rng(1)) ?? [];
    expect(units.map((u) => u.key)).toEqual(['u1']);
    const u = units[0]!;
    expect(u.gold.human.map((h) => h.item)).toEqual(['13', '14', '15', '16']);
    const shown = u.gold.pages.flat();
    expect(shown.sort()).toEqual([...u.items].sort());
    expect(shown).toHaveLength(8);
    const distractors = shown.filter((i) => !['13', '14', '15', '16'].includes(i));
    // Distractors: items of the training split the user never interacted with (u2's).
    for (const d of distractors) expect(Number(d)).toBeGreaterThanOrEqual(20);
    expect(u.gold.pages.map((p) => p.length)).toEqual([3, 3, 2]);
  });

  it('the judge reads the log only (no method name), rates 1-5; the reference row judges the humans own visit', async () => {
    const unit = (task.buildUnits(ds, options, new Rng(1)) ?? [])[0]!;
    const judge = scriptedLlm(() => '{"reason": "varied and plausible", "rating": 4}');
    const sim: Simulator = {
      async browse(_user, pages): Promise<BrowseOutcome> {
        return {
          pages: pages.slice(0, 2).map((p, k) => ({ watched: [{ item: p.items[0]!.id, rating: 3 }], exit: k === 1 })),
        };
      },
    };
    const items = unit.items.map((id) => ds.items.find((i) => i.id === id)!);
    const ctx = { rng: new Rng(2), llm: null, signal: new AbortController().signal, judge: judge.llm, prompts };
    const answer = await task.run(sim, userView('u1'), items, ctx, unit);
    expect(answer.rating).toBe(4);
    expect(task.score(unit, answer)).toEqual({ rating: 4 });
    const sent = judge.requests[0]?.messages.map((m) => m.content).join('\n') ?? '';
    expect(sent).toContain('Page 1: shown');
    expect(sent).toContain('rated it 3 of 5');
    expect(sent).toContain('Left after page 2.');
    expect(sent).not.toMatch(/simuser|agent4rec|zero-shot|popularity/i);

    const human = await task.reference!.run(unit, ds, ctx);
    const watched = human.visit.pages.flatMap((p) => p.watched.map((w) => `${w.item}:${w.rating}`));
    expect(watched.sort()).toEqual(['13:5', '14:2', '15:2', '16:2']);
    expect(human.visit.pages.at(-1)?.exit).toBe(true);
    expect(judge.requests).toHaveLength(2);
  });

  it('writes the visit as a readable log', () => {
    const pages = [{ number: 1, items: [ds.items[0]!, ds.items[1]!] }];
    const log = visitLog(
      { pages: [{ watched: [{ item: '2', rating: null }], exit: true }], satisfaction: 7 },
      pages,
      5,
    );
    expect(log.split('\n')).toEqual([
      'Page 1: shown "Item 1"; "Item 2".',
      '  Watched "Item 2".',
      '  Left after page 1.',
      'Satisfaction with the recommendations at the end: 7 of 10.',
    ]);
  });
});
