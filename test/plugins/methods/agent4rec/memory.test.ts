import { describe, expect, it } from 'vitest';
import { Agent4RecMemory, memoriesText } from '../../../../plugins/methods/agent4rec/memory.ts';

describe('Agent4Rec memory', () => {
  it('keeps factual and emotional entries and retrieves the top k by BM25, topped up with recent ones', () => {
    const m = new Agent4RecMemory({ retrieveK: 3, reflectionThreshold: 3 });
    m.add('factual', 'Page 1 recommended Star Voyage; I watched Star Voyage (rated 5).');
    m.add('emotional', 'After page 1 I felt positive about the recommendations.');
    m.add('factual', 'Page 2 recommended Tax Season; I watched none of them.');
    m.add('emotional', 'After page 2 I felt negative: too many comedies.');
    expect(m.entries.map((e) => e.kind)).toEqual(['factual', 'emotional', 'factual', 'emotional']);
    const hits = m.retrieve('Star Voyage starship');
    expect(hits[0]?.text).toContain('Star Voyage');
    expect(hits).toHaveLength(3);
    // no match at all: the most recent entries
    expect(m.retrieve('zzz').map((e) => e.id)).toEqual(['m0004', 'm0003', 'm0002']);
    expect(m.retrieve('anything', 10)).toHaveLength(4);
  });

  it('a reflection falls due when the accumulated importance exceeds the threshold, and resets it', () => {
    const m = new Agent4RecMemory({ retrieveK: 5, reflectionThreshold: 3 });
    for (let k = 0; k < 3; k++) m.add('factual', `entry ${k}`);
    expect(m.reflectionDue).toBe(false); // 3 is not above 3
    m.add('emotional', 'entry 3');
    expect(m.reflectionDue).toBe(true);
    m.addReflection('I am satisfied.');
    expect(m.reflectionDue).toBe(false);
    expect(m.entries.at(-1)?.kind).toBe('emotional');
  });

  it('renders memories as a list, with a note when there are none', () => {
    const m = new Agent4RecMemory({ retrieveK: 5, reflectionThreshold: 3 });
    expect(memoriesText([])).toContain('nothing yet');
    m.add('factual', 'FACT');
    expect(memoriesText(m.entries)).toBe('- FACT');
    const c = m.clone();
    c.add('factual', 'MORE');
    expect(m.entries).toHaveLength(1);
  });
});
