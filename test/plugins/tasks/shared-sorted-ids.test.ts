import { describe, expect, it } from 'vitest';
import { SortedIds } from '../../../plugins/tasks/shared/sorted-ids.js';
import { Rng } from '../../../harness/util/rng.js';

describe('SortedIds', () => {
  it('answers membership and size like a Set of the same ids, repeats included', () => {
    const rng = new Rng('sorted-ids');
    for (let trial = 0; trial < 50; trial++) {
      const ids = Array.from({ length: rng.int(60) }, () => `i${rng.int(80)}`);
      const set = new Set(ids);
      const sorted = new SortedIds([...ids]);
      expect(sorted.size).toBe(set.size);
      expect(new Set(sorted)).toEqual(set);
      for (let k = 0; k < 80; k++) expect(sorted.has(`i${k}`)).toBe(set.has(`i${k}`));
      expect(sorted.has('')).toBe(false);
    }
  });
});
