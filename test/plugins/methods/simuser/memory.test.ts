import { describe, expect, it } from 'vitest';
import { EpisodicMemory, MemoryBank } from '../../../../plugins/methods/simuser/memory.ts';
import { perceive, shorten } from '../../../../plugins/methods/simuser/perception.ts';
import { ITEMS, userU } from './fixtures.ts';

const describeItem = (i: Parameters<typeof perceive>[0]) => perceive(i, 200);

describe('EpisodicMemory', () => {
  it('retrieves by BM25, filters by kind, and lists the latest entries of a kind', () => {
    const m = new EpisodicMemory('u');
    m.add('interaction', 'You rated "Star Voyage" [Sci-Fi] 5 out of 5: explorers cross a galaxy on a starship.');
    m.add('interaction', 'You rated "Tax Season" [Comedy] 1 out of 5: an accountant has a bad week.');
    m.add('reflection', 'Starship stories win me over every time.');
    m.add('decision', 'Earlier you were shown "Nebula Wars": you would like it.');
    expect(m.size).toBe(4);
    expect(m.retrieve('starship galaxy', 1).map((e) => e.kind)).toEqual(['interaction']);
    expect(m.retrieve('starship', 5, ['reflection']).map((e) => e.text)).toEqual([
      'Starship stories win me over every time.',
    ]);
    expect(m.retrieve('accountant', 3, ['interaction', 'decision']).map((e) => e.text)[0]).toMatch(/Tax Season/);
    expect(m.retrieve('anything', 0)).toEqual([]);
    m.add('reflection', 'Second note.');
    expect(m.latest('reflection', 5).map((e) => e.text)).toEqual([
      'Second note.',
      'Starship stories win me over every time.',
    ]);
    expect(m.latest('reflection', 1).map((e) => e.text)).toEqual(['Second note.']);
  });
});

describe('MemoryBank', () => {
  it('seeds a user’s memory once from the training history, with ratings', () => {
    const bank = new MemoryBank(describeItem);
    const m = bank.of(userU());
    expect(m.size).toBe(6);
    expect(m.all()[0]?.text).toBe(
      'You gave 5 out of 5 to "Star Voyage" [Sci-Fi, Adventure] — A crew of explorers crosses a dying galaxy aboard a starship.',
    );
    m.add('reflection', 'x');
    expect(bank.of(userU())).toBe(m);
    expect(bank.of(userU()).size).toBe(7);
  });

  it('runs one user’s exclusive jobs in call order, even after a failure; other users are not held up', async () => {
    const bank = new MemoryBank(describeItem);
    const log: string[] = [];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const a = bank.exclusive('u', async () => {
      await wait(30);
      log.push('u1');
      throw new Error('boom');
    });
    const b = bank.exclusive('u', async () => {
      log.push('u2');
      return 2;
    });
    const c = bank.exclusive('v', async () => {
      log.push('v1');
      return 3;
    });
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe(2);
    expect(await c).toBe(3);
    expect(log).toEqual(['v1', 'u1', 'u2']);
  });
});

describe('perception (item text only)', () => {
  it('shows title, genres and a description cut at a word boundary', () => {
    expect(perceive(ITEMS['a']!, 20)).toBe('"Star Voyage" [Sci-Fi, Adventure] — A crew of explorers…');
    expect(perceive({ id: 'z', title: 'Bare', genres: [] }, 50)).toBe('"Bare"');
    expect(perceive(ITEMS['a']!, 0)).toBe('"Star Voyage" [Sci-Fi, Adventure]');
    expect(shorten('short text', 50)).toBe('short text');
  });
});
