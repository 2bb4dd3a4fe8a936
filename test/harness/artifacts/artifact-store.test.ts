import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactStore } from '../../../harness/artifacts/artifact-store.js';
import { fitItems } from '../../../harness/artifacts/fit-items.js';
import { newTrail, noteCall, withTrail } from '../../../harness/llm/call-trail.js';
import { LlmParseError } from '../../../harness/llm/errors.js';

const usage = { input: 10, cachedInput: 0, output: 5 };

describe('ArtifactStore', () => {
  it('records the calls that made an artifact; a run reusing it gets their keys and their usage', async () => {
    const store = new ArtifactStore(mkdtempSync(join(tmpdir(), 'usersim-art-')));
    const first = newTrail();
    await withTrail(first, () =>
      store.memo({ a: 1 }, async () => {
        noteCall('k1', usage, 0.5, false);
        noteCall('k2', usage, 0.25, true);
        return 'made';
      }),
    );
    expect([...first.keys].sort()).toEqual(['k1', 'k2']);
    const reuse = newTrail();
    const v = await withTrail(reuse, () =>
      store.memo({ a: 1 }, async () => {
        throw new Error('not made again');
      }),
    );
    expect(v).toBe('made');
    expect([...reuse.keys].sort()).toEqual(['k1', 'k2']);
    expect(reuse.usage).toMatchObject({ calls: 2, cacheHits: 2, input: 20, output: 10, costUsd: 0.75 });
  });

  it('an artifact whose making left an item out is not stored; one stored before call records is made again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-art-'));
    const store = new ArtifactStore(dir);
    const fit = newTrail(true);
    const made = await withTrail(fit, () =>
      store.memo({ b: 1 }, async () =>
        fitItems(
          'stage',
          ['x', 'y'],
          (s) => s,
          async (s) => {
            if (s === 'y') throw new LlmParseError('bad', '{"oops"');
            return s;
          },
        ),
      ),
    );
    expect(made).toEqual(['x', null]);
    expect(existsSync(store.pathOf({ b: 1 }))).toBe(false);
    expect(fit.fit).toMatchObject({ attempted: 2, succeeded: 1, failed: 1, failedByKind: { parse: 1 } });
    expect(fit.fit?.failures[0]).toMatchObject({ stage: 'stage', item: 'y', reply: '{"oops"' });

    await store.memo({ c: 1 }, async () => 'old');
    rmSync(store.pathOf({ c: 1 }).replace(/\.json$/, '.calls.json'));
    expect(await store.memo({ c: 1 }, async () => 'again')).toBe('again');
    await store.memo({ d: 1 }, async () => 'job');
    rmSync(store.pathOf({ d: 1 }).replace(/\.json$/, '.calls.json'));
    expect(await store.memo({ d: 1 }, async () => 'second job', { noLlmCalls: true })).toBe('job');
  });
});
