import { readFileSync } from 'node:fs';
import synthetic from '../../../../plugins/datasets/synthetic-ratings/index.ts';
import offline from '../../../../plugins/llms/offline/index.ts';
import { LlmDoor } from '../../../../harness/llm/door.ts';
import { loadPriceTable } from '../../../../harness/llm/prices.ts';
import { LlmRuntimeOptions } from '../../../../harness/llm/runtime-options.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import { asRatings } from '../../../support/hand-dataset.ts';
import { Value } from '@sinclair/typebox/value';
import simuser from '../../../../plugins/methods/simuser/index.ts';
import type { Interaction, Item, LlmRequest, Simulator, TrainData, UserView } from '../../../../harness/plugin-api.ts';
import type { Persona, MatchedPersona } from '../../../../plugins/methods/simuser/persona.ts';

export type Options = Parameters<typeof simuser.create>[0];

/** The plugin's defaults, as the config loader fills them, with overrides. */
export const options = (o: Partial<Options> = {}): Options => ({
  ...(Value.Default(simuser.options, {}) as Options),
  ...o,
});

/** Prompt templates read from disk, as the runner does. */
export const prompts: Record<string, string> = Object.fromEntries(
  Object.entries(simuser.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]),
);

export async function makeSim(o: Partial<Options> = {}, seed = 3): Promise<Simulator> {
  return simuser.create(options(o), { seed, configDir: '/', log: { info() {}, warn() {} }, prompts });
}

const it = (id: string, title: string, genres: string[], description: string): Item => ({
  id,
  title,
  genres,
  description,
});

/** A hand-made catalogue: space operas and dramas the user knows, and candidates sharing or not sharing their genres. */
export const ITEMS: Record<string, Item> = {
  a: it('a', 'Star Voyage', ['Sci-Fi', 'Adventure'], 'A crew of explorers crosses a dying galaxy aboard a starship.'),
  b: it('b', 'Nebula Wars', ['Sci-Fi', 'Action'], 'Starship fleets battle over a nebula full of ancient relics.'),
  c: it('c', 'Quiet Harbour', ['Drama'], 'A fisherman mourns his brother in a small harbour town.'),
  d: it('d', 'Tax Season', ['Comedy'], 'An accountant stumbles through the worst week of the year.'),
  e: it('e', 'Moon Colony', ['Sci-Fi', 'Drama'], 'Settlers on the moon face a failing oxygen plant.'),
  f: it('f', 'Laugh Track', ['Comedy'], 'A sitcom writer loses his sense of humour.'),
  // items only other users rated
  g: it('g', 'Desert Kings', ['Western'], 'Rival ranchers fight over a desert well.'),
  h: it('h', 'Opera Nights', ['Musical'], 'A tenor returns to the stage after twenty years.'),
  i: it('i', 'Harbour Lights', ['Drama', 'Romance'], 'Two strangers meet at a lighthouse.'),
  j: it('j', 'Cold Case', ['Crime'], 'A detective reopens a thirty-year-old murder.'),
  // candidates nobody rated in training
  x: it('x', 'Starship Orphans', ['Sci-Fi', 'Adventure'], 'Children raised on a starship search for a new home.'),
  y: it('y', 'Knitting Circle', ['Documentary'], 'Grandmothers knit for charity.'),
};

/** User u's training ratings: loves sci-fi, dislikes comedy. */
export const U_RATINGS: Record<string, number> = { a: 5, b: 5, c: 3, d: 1, e: 4, f: 2 };
/** Other users' training ratings. */
export const OTHER_RATINGS: Array<[string, string, number]> = [
  ['v', 'a', 4],
  ['v', 'g', 2],
  ['v', 'h', 5],
  ['v', 'x', 4],
  ['w', 'i', 3],
  ['w', 'j', 1],
  ['w', 'b', 2],
];

export function train(): TrainData {
  const interactions: Interaction[] = [
    ...Object.entries(U_RATINGS).map(([item, rating], k) => ({ user: 'u', item, rating, timestamp: k })),
    ...OTHER_RATINGS.map(([user, item, rating], k) => ({ user, item, rating, timestamp: 100 + k })),
  ];
  return {
    datasetName: 'hand',
    users: ['u', 'v', 'w'].map((id) => ({
      id,
      attributes: id === 'u' ? ({ age: 35, occupation: 'engineer' } as Record<string, string | number>) : {},
    })),
    items: Object.values(ITEMS),
    scale: { min: 1, max: 5, step: 1 },
    interactions,
  };
}

export function userU(): UserView {
  return {
    id: 'u',
    attributes: { age: 35, occupation: 'engineer' },
    history: Object.entries(U_RATINGS).map(([item, rating], k) => ({
      item: ITEMS[item] as Item,
      rating,
      timestamp: k,
    })),
    scale: { min: 1, max: 5, step: 1 },
  };
}

export const persona = (occupation: string, over: Partial<Persona> = {}): Persona => ({
  age: 35,
  occupation,
  openness: 'high',
  conscientiousness: 'moderate',
  extraversion: 'low',
  agreeableness: 'moderate',
  neuroticism: 'low',
  pickiness: 'high',
  habits: `HABITS-${occupation}`,
  tastes: `TASTES-${occupation}`,
  ...over,
});

export const matched = (p: Persona = persona('astronomer')): MatchedPersona => ({
  userId: 'u',
  summary: 'SUMMARY: a sci-fi fan who rates comedies harshly',
  candidates: [{ persona: p, ownMean: null, otherMean: null, ownMae: null, otherMae: null, score: null }],
  chosen: 0,
  persona: p,
});

/** The item codes a structured request asks for (the keys of its schema), in order. */
export function codesOf(r: LlmRequest, path: string[] = []): string[] {
  let s = r.schema as Record<string, unknown>;
  for (const p of path) s = (s['properties'] as Record<string, Record<string, unknown>>)[p] as Record<string, unknown>;
  return Object.keys(s['properties'] as Record<string, unknown>);
}

export const lastUser = (r: LlmRequest): string =>
  r.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .at(-1) ?? '';

export interface ReplyOptions {
  readonly k?: number;
  readonly like?: (code: string) => boolean;
  readonly rating?: number;
  readonly flip?: boolean;
  /** Browsing: which item codes are watched (at evaluation and, unless `refinedWatch`, at refinement); default none. */
  readonly watch?: (code: string) => boolean;
  readonly refinedWatch?: (code: string) => boolean;
  /** Browsing: next or exit, given the page's codes (at evaluation and, unless `refinedDecision`, at refinement); default next. */
  readonly decision?: (codes: string[]) => 'next' | 'exit';
  readonly refinedDecision?: (codes: string[]) => 'next' | 'exit';
  readonly satisfaction?: number;
}

const choice = (watch: boolean, rating: number, thought?: string) => ({
  ...(thought === undefined ? {} : { thought }),
  watch,
  rating: watch ? rating : null,
});

/**
 * A well-behaved scripted model: every step answers with valid JSON; likes are
 * true for codes listed in `likeCodes`, ratings are `rating`.
 */
export function defaultReply(r: LlmRequest, n: number, opts: ReplyOptions = {}): string {
  switch (r.schemaName) {
    case 'history_summary':
      return JSON.stringify({ summary: 'SUMMARY: loves starships, bored by office comedies' });
    case 'persona_candidates':
      return JSON.stringify({
        personas: Array.from(
          {
            length:
              opts.k ?? (r.schema as { properties: { personas: { minItems: number } } }).properties.personas.minItems,
          },
          (_, k) => persona(`job${k}`),
        ),
      });
    case 'persona_ratings':
      return JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, 3])));
    case 'preferences':
      return JSON.stringify({ likes: ['LIKE-starships'], dislikes: ['DISLIKE-sitcoms'], summary: 'PREF-SUMMARY' });
    case 'item_evaluation': {
      const like = opts.like ?? (() => true);
      return JSON.stringify(
        Object.fromEntries(
          codesOf(r).map((c) => [
            c,
            'like' in
            ((r.schema as never as { properties: Record<string, { properties: object }> }).properties[c]?.properties ??
              {})
              ? { thought: `THOUGHT-${c}`, like: like(c) }
              : { thought: `THOUGHT-${c}`, rating: opts.rating ?? 4 },
          ]),
        ),
      );
    }
    case 'refined_decisions': {
      const codes = codesOf(r, ['final']);
      const isLike =
        (r.schema as never as { properties: { final: { properties: Record<string, { type: string }> } } }).properties
          .final.properties[codes[0] as string]?.type === 'boolean';
      const like = opts.like ?? (() => true);
      return JSON.stringify({
        check: 'CHECKED',
        final: Object.fromEntries(
          codes.map((c) => [c, isLike ? (opts.flip ? !like(c) : like(c)) : (opts.rating ?? 4)]),
        ),
      });
    }
    case 'reflection':
      return JSON.stringify({ note: `NOTE-${n}: I reward ambitious starship stories.` });
    case 'browse_page': {
      const codes = codesOf(r, ['items']);
      const watch = opts.watch ?? (() => false);
      return JSON.stringify({
        items: Object.fromEntries(codes.map((c) => [c, choice(watch(c), opts.rating ?? 4, `THOUGHT-${c}`)])),
        feeling: `FEELING-${codes[0]}`,
        decision: opts.decision?.(codes) ?? 'next',
      });
    }
    case 'refined_page': {
      const codes = codesOf(r, ['final']);
      const watch = opts.refinedWatch ?? opts.watch ?? (() => false);
      const decision = opts.refinedDecision ?? opts.decision;
      return JSON.stringify({
        check: 'CHECKED',
        final: Object.fromEntries(codes.map((c) => [c, choice(watch(c), opts.rating ?? 4)])),
        decision: decision?.(codes) ?? 'next',
      });
    }
    case 'exit_interview':
      return JSON.stringify({
        reflection: `REFLECTION-${n}: starship stories keep me browsing.`,
        satisfaction: opts.satisfaction ?? 6,
      });
    default:
      throw new Error(`unexpected request ${r.schemaName}`);
  }
}

/** A small synthetic ratings world and the offline mock LLM behind the real door: what the end-to-end tests run on. */
export async function offlineWorld() {
  const quietLog = { info() {}, warn() {} };
  const data = asRatings(
    await synthetic.load(
      {
        users: 20,
        items: 80,
        genres: 8,
        minRatings: 20,
        maxRatings: 25,
        noise: 0.6,
        dataSeed: 5,
        split: 'agent4rec',
        splitSeed: 101,
        minLiked: 5,
        likedAbove: 3,
      },
      { seed: 1, rng: new Rng(1), configDir: '/', log: quietLog },
    ),
  );
  const provider = await offline.create({ model: 'offline-mock' }, { seed: 1, configDir: '/', log: quietLog });
  const door = new LlmDoor(provider, {
    runtime: Value.Default(LlmRuntimeOptions, {}) as never,
    cache: null,
    cacheOnly: false,
    prices: loadPriceTable(),
    seed: 1,
  });
  return { data, door };
}
