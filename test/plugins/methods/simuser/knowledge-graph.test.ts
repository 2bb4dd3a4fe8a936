import { describe, expect, it } from 'vitest';
import {
  evidenceText,
  genreNode,
  HAS_GENRE,
  itemNode,
  KnowledgeGraph,
  RATED,
  RatingsGraph,
  userNode,
} from '../../../../plugins/methods/simuser/knowledge-graph.ts';
import { ITEMS, train, userU } from './fixtures.ts';

/**
 *   alice →rated(5)→ m1 →has_genre→ drama ←has_genre← m2
 *   alice →rated(2)→ m3 →has_genre→ comedy
 *   bob   →rated(4)→ m1,  bob →rated(3)→ m2
 *   m2 →has_genre→ comedy as well
 */
function hand(): KnowledgeGraph {
  const g = new KnowledgeGraph();
  for (const u of ['alice', 'bob']) g.addNode(userNode(u), 'user', u);
  for (const m of ['m1', 'm2', 'm3']) g.addNode(itemNode(m), 'item', m.toUpperCase());
  for (const x of ['drama', 'comedy']) g.addNode(genreNode(x), 'genre', x);
  g.addEdge(userNode('alice'), RATED, itemNode('m1'), 5);
  g.addEdge(userNode('alice'), RATED, itemNode('m3'), 2);
  g.addEdge(userNode('bob'), RATED, itemNode('m1'), 4);
  g.addEdge(userNode('bob'), RATED, itemNode('m2'), 3);
  g.addEdge(itemNode('m1'), HAS_GENRE, genreNode('drama'));
  g.addEdge(itemNode('m2'), HAS_GENRE, genreNode('drama'));
  g.addEdge(itemNode('m2'), HAS_GENRE, genreNode('comedy'));
  g.addEdge(itemNode('m3'), HAS_GENRE, genreNode('comedy'));
  return g;
}

const show = (p: { nodes: readonly string[] }) => p.nodes.join(' ');

describe('KnowledgeGraph (hand-made graph)', () => {
  it('stores each edge once and walks it both ways', () => {
    const g = hand();
    expect(g.nodeCount).toBe(7);
    expect(g.edgeCount).toBe(8);
    expect(g.addEdge(userNode('alice'), RATED, itemNode('m1'), 5)).toBe(false);
    expect(g.edgeCount).toBe(8);
    expect(g.neighbours(itemNode('m1'), RATED, false).sort()).toEqual([userNode('alice'), userNode('bob')]);
    expect(g.neighbours(userNode('alice'), RATED, true).sort()).toEqual([itemNode('m1'), itemNode('m3')]);
    expect(
      g
        .steps(userNode('alice'), RATED, true)
        .map((s) => s.weight)
        .sort(),
    ).toEqual([2, 5]);
    expect(() => g.addEdge('user:nobody', RATED, itemNode('m1'))).toThrow(/not added/);
  });

  it('finds every simple path up to the hop limit, shortest first', () => {
    const g = hand();
    expect(g.paths(userNode('alice'), itemNode('m2'), 1)).toEqual([]);
    expect(g.paths(userNode('alice'), itemNode('m2'), 2)).toEqual([]);
    const three = g.paths(userNode('alice'), itemNode('m2'), 3).map(show);
    expect(three).toEqual([
      'user:alice item:m1 genre:drama item:m2',
      'user:alice item:m1 user:bob item:m2',
      'user:alice item:m3 genre:comedy item:m2',
    ]);
    // items on one side, users and genres on the other: user→item paths have odd length, and none longer exists here
    expect(g.paths(userNode('alice'), itemNode('m2'), 5).map(show)).toEqual(three);
    // simple paths only: from m1 to m2 within 4 hops, no node twice
    const m1m2 = g.paths(itemNode('m1'), itemNode('m2'), 4);
    expect(m1m2.map(show)).toEqual([
      'item:m1 genre:drama item:m2',
      'item:m1 user:bob item:m2',
      'item:m1 user:alice item:m3 genre:comedy item:m2',
    ]);
    expect(g.paths(itemNode('m1'), itemNode('m2'), 3).map(show)).toEqual([
      'item:m1 genre:drama item:m2',
      'item:m1 user:bob item:m2',
    ]);
    for (const p of m1m2) expect(new Set(p.nodes).size).toBe(p.nodes.length);
    // directions are kept: the last hop of the genre path walks has_genre backwards
    const viaDrama = g.paths(userNode('alice'), itemNode('m2'), 3)[0];
    expect(viaDrama?.steps.map((s) => `${s.rel}${s.forward ? '>' : '<'}`)).toEqual([
      'rated>',
      'has_genre>',
      'has_genre<',
    ]);
  });

  it('PathSim along item–genre–item and item–user–item', () => {
    const g = hand();
    const igi = [{ rel: HAS_GENRE, forward: true }];
    const iui = [{ rel: RATED, forward: false }];
    // m1 {drama}, m2 {drama, comedy}: 2·1 / (1 + 2)
    expect(g.pathSim(itemNode('m1'), itemNode('m2'), igi)).toBeCloseTo(2 / 3, 12);
    expect(g.pathSim(itemNode('m1'), itemNode('m1'), igi)).toBe(1);
    expect(g.pathSim(itemNode('m1'), itemNode('m3'), igi)).toBe(0);
    // raters: m1 {alice, bob}, m2 {bob}: 2·1 / (2 + 1)
    expect(g.pathSim(itemNode('m1'), itemNode('m2'), iui)).toBeCloseTo(2 / 3, 12);
    expect(
      g.metaPathCounts(userNode('alice'), [
        { rel: RATED, forward: true },
        { rel: HAS_GENRE, forward: true },
      ]),
    ).toEqual(
      new Map([
        [genreNode('drama'), 1],
        [genreNode('comedy'), 1],
      ]),
    );
  });
});

describe('RatingsGraph evidence (path-based retrieval)', () => {
  it('links the user to a candidate through items they rated, by shared genres and by other users who rated both', () => {
    const g = RatingsGraph.fromTrain(train());
    const ev = g.evidence('u', ITEMS['x']!, { topK: 10, collaborative: true });
    // x is Sci-Fi/Adventure and was rated by v, who also rated a.
    expect(ev.map((e) => e.via.id)).toEqual(['a', 'b', 'e']);
    const a = ev[0]!;
    expect(a.rating).toBe(5);
    expect(a.sharedGenres).toEqual(['Adventure', 'Sci-Fi']);
    expect(a.coRaters).toBe(1);
    // IGI: 2·2/(2+2) = 1; IUI: raters(a)∖u = {v}, raters(x) = {v}: 2·1/(1+1) = 1
    expect(a.score).toBeCloseTo(2, 12);
    expect(ev[1]?.coRaters).toBe(0);
    expect(ev[1]?.score).toBeCloseTo(0.5, 12); // b: Sci-Fi/Action vs Sci-Fi/Adventure
    expect(evidenceText(a, 5)).toBe(
      'you rated "Star Voyage" 5/5; it shares Adventure, Sci-Fi with this item; 1 other user rated both',
    );
  });

  it('every evidence path is a real 3-hop path of the graph', () => {
    const g = RatingsGraph.fromTrain(train());
    const cand = ITEMS['x']!;
    const ev = g.evidence('u', cand, { topK: 10, collaborative: true });
    const paths = g.graph.paths(userNode('u'), itemNode(cand.id), 3).map(show);
    for (const e of ev) {
      for (const genre of e.sharedGenres)
        expect(paths).toContain(`user:u item:${e.via.id} ${genreNode(genre)} item:${cand.id}`);
      if (e.coRaters > 0) expect(paths).toContain(`user:u item:${e.via.id} user:v item:${cand.id}`);
    }
    // and no path the retrieval does not explain
    const explained = new Set(ev.map((e) => e.via.id));
    for (const p of g.graph.paths(userNode('u'), itemNode(cand.id), 3))
      expect(explained.has(p.nodes[1]!.slice('item:'.length))).toBe(true);
  });

  it('genre paths only when collaborative is off; the user themself is never a co-rater; topK caps', () => {
    const g = RatingsGraph.fromTrain(train());
    const ev = g.evidence('u', ITEMS['x']!, { topK: 10, collaborative: false });
    expect(ev.every((e) => e.coRaters === 0)).toBe(true);
    expect(ev.map((e) => e.via.id)).toEqual(['a', 'b', 'e']);
    expect(g.evidence('u', ITEMS['x']!, { topK: 1, collaborative: true }).map((e) => e.via.id)).toEqual(['a']);
    // an unconnected candidate gets no evidence
    expect(g.evidence('u', ITEMS['y']!, { topK: 5, collaborative: true })).toEqual([]);
  });

  it('a candidate gets item and genre nodes but never a rating edge', () => {
    const g = RatingsGraph.fromTrain(train());
    const before = g.graph.edgeCount;
    g.evidence('u', { id: 'new', title: 'New', genres: ['Sci-Fi', 'Noir'] }, { topK: 3, collaborative: true });
    expect(g.graph.neighbours(itemNode('new'), RATED, false)).toEqual([]);
    expect(g.graph.edgeCount).toBe(before + 2);
  });

  it('without fit, a user view is added on demand', () => {
    const g = new RatingsGraph();
    expect(g.evidence('u', ITEMS['x']!, { topK: 3, collaborative: true })).toEqual([]);
    g.ensureUser(userU());
    g.ensureUser(userU());
    const ev = g.evidence('u', ITEMS['x']!, { topK: 3, collaborative: true });
    expect(ev.map((e) => e.via.id)).toEqual(['a', 'b', 'e']);
    expect(ev.every((e) => e.coRaters === 0)).toBe(true);
  });
});
