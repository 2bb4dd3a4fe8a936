import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import agent4rec from '../../../../plugins/methods/agent4rec/index.ts';
import type {
  Interaction,
  Item,
  Llm,
  LlmRequest,
  Simulator,
  TrainData,
  UnitContext,
  UserView,
} from '../../../../harness/plugin-api.ts';
import type { ArtifactStore } from '../../../../harness/plugin-api.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import type { Agent4RecPrompts } from '../../../../plugins/methods/agent4rec/llm-call.ts';

export type Options = Parameters<typeof agent4rec.create>[0];

export const options = (o: Partial<Options> = {}): Options => ({
  ...(Value.Default(agent4rec.options, {}) as Options),
  ...o,
});

export const promptFiles: Record<string, string> = Object.fromEntries(
  Object.entries(agent4rec.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]),
);
export const prompts = promptFiles as unknown as Agent4RecPrompts;

const quiet = { info() {}, warn() {} };

export function makeSim(o: Partial<Options> = {}): Promise<Simulator> {
  return agent4rec.create(options(o), { seed: 1, configDir: '/', log: quiet, prompts: promptFiles });
}

export const unit = (llm: Llm): UnitContext => ({ rng: new Rng(1), llm, signal: new AbortController().signal });

export function fitContext(llm: Llm | null, artifacts: ArtifactStore) {
  return { seed: 1, configDir: '/', log: quiet, rng: new Rng(1), llm, artifacts, outputDir: '/tmp' };
}

/** Catalogue: a..f rated in training; c1..c20 candidates (c1 rated by others, the rest by nobody). */
export const ITEMS: Record<string, Item> = {
  a: { id: 'a', title: 'Star Voyage', genres: ['Sci-Fi', 'Adventure'], description: 'Explorers cross a dying galaxy.' },
  b: { id: 'b', title: 'Nebula Wars', genres: ['Sci-Fi', 'Action'], description: 'Fleets battle over a nebula.' },
  c: { id: 'c', title: 'Quiet Harbour', genres: ['Drama'], description: 'A fisherman mourns his brother.' },
  d: { id: 'd', title: 'Tax Season', genres: ['Comedy'], description: 'An accountant has the worst week of the year.' },
  e: {
    id: 'e',
    title: 'Moon Colony',
    genres: ['Sci-Fi', 'Drama'],
    description: 'Settlers face a failing oxygen plant.',
  },
  f: { id: 'f', title: 'Laugh Track', genres: ['Comedy'], description: 'A sitcom writer loses his humour.' },
  ...Object.fromEntries(
    Array.from({ length: 20 }, (_, k) => [
      `c${k + 1}`,
      {
        id: `c${k + 1}`,
        title: `Candidate ${k + 1}`,
        genres: [k % 2 === 0 ? 'Sci-Fi' : 'Comedy'],
        description: `Plot number ${k + 1}.`,
      },
    ]),
  ),
};

export const CANDIDATES: Item[] = Array.from({ length: 20 }, (_, k) => ITEMS[`c${k + 1}`] as Item);

const U_RATINGS: Array<[string, number]> = [
  ['c', 3],
  ['a', 5],
  ['d', 1],
  ['b', 5],
  ['e', 4],
  ['f', 2],
];
const OTHERS: Array<[string, string, number]> = [
  ['v', 'a', 4],
  ['v', 'c1', 4],
  ['v', 'd', 2],
  ['w', 'b', 2],
  ['w', 'c1', 3],
];

export function train(): TrainData {
  const interactions: Interaction[] = [
    ...U_RATINGS.map(([item, rating], k) => ({ user: 'u', item, rating, timestamp: k })),
    ...OTHERS.map(([user, item, rating], k) => ({ user, item, rating, timestamp: 100 + k })),
  ];
  return {
    datasetName: 'hand',
    users: ['u', 'v', 'w'].map((id) => ({
      id,
      attributes: id === 'u' ? { age: 35, occupation: 'engineer' } : ({} as Record<string, string | number>),
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
    history: U_RATINGS.map(([id, rating], k) => ({ item: ITEMS[id] as Item, rating, timestamp: k })),
    scale: { min: 1, max: 5, step: 1 },
  };
}

/** Keys of the (nested) object schema of a request. */
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
export const systemOf = (r: LlmRequest): string => r.messages.find((m) => m.role === 'system')?.content ?? '';

export interface ReplyOpts {
  align?: (code: string) => boolean;
  rating?: number;
  decision?: (n: number) => 'next' | 'exit';
  satisfaction?: number;
}

/** A well-behaved scripted model for every Agent4Rec call. */
export function defaultReply(r: LlmRequest, n: number, o: ReplyOpts = {}): string {
  switch (r.schemaName) {
    case 'taste':
      return JSON.stringify({
        taste: 'TASTE: I love starship sagas and avoid office comedies.',
        ratingHabit: 'HABIT: I rate sci-fi generously.',
      });
    case 'recommendation_page': {
      const align = o.align ?? (() => true);
      const items = Object.fromEntries(
        codesOf(r, ['items']).map((c) => [
          c,
          {
            align: align(c),
            reason: `REASON-${c}`,
            watch: align(c),
            rating: align(c) ? (o.rating ?? 4) : null,
            feeling: align(c) ? `FEELING-${c}` : '',
          },
        ]),
      );
      return JSON.stringify({
        items,
        feeling: 'positive',
        feelingReason: `PAGE-FEELING-${n}`,
        fatigue: 'fresh',
        decision: o.decision?.(n) ?? 'next',
      });
    }
    case 'rating_page':
      return JSON.stringify({
        items: Object.fromEntries(
          codesOf(r, ['items']).map((c) => [c, { rating: o.rating ?? 4, feeling: `FEELING-${c}` }]),
        ),
      });
    case 'satisfaction_reflection':
      return JSON.stringify({ verdict: 'satisfied', reason: `REFLECTION-${n}: plenty of starships.` });
    case 'satisfaction_interview':
      return JSON.stringify({ satisfaction: o.satisfaction ?? 8, explanation: 'EXPLANATION: good starship picks.' });
    default:
      throw new Error(`unexpected request ${r.schemaName}`);
  }
}

// ---------------------------------------------------------------- end to end

import synthetic from '../../../../plugins/datasets/synthetic-ratings/index.ts';
import offline from '../../../../plugins/llms/offline/index.ts';
import { LlmDoor } from '../../../../harness/llm/door.ts';
import { loadPriceTable } from '../../../../harness/llm/prices.ts';
import { LlmRuntimeOptions } from '../../../../harness/llm/runtime-options.ts';
import { emptyTotals, type UsageTotals } from '../../../../harness/llm/usage-meter.ts';
import { asRatings } from '../../../support/hand-dataset.ts';

export async function smallSynthetic() {
  return asRatings(
    await synthetic.load(
      {
        users: 20,
        items: 80,
        genres: 8,
        minRatings: 20,
        maxRatings: 25,
        noise: 0.6,
        dataSeed: 7,
        split: 'agent4rec',
        splitSeed: 101,
        minLiked: 5,
        likedAbove: 3,
      },
      { seed: 1, rng: new Rng(1), configDir: '/', log: quiet },
    ),
  );
}

export async function offlineLlm(): Promise<{ llm: Llm; usage: UsageTotals }> {
  const provider = await offline.create({ model: 'offline-mock' }, { seed: 1, configDir: '/', log: quiet });
  const door = new LlmDoor(provider, {
    runtime: Value.Default(LlmRuntimeOptions, {}) as never,
    cache: null,
    cacheOnly: false,
    prices: loadPriceTable(),
    seed: 1,
  });
  const usage = emptyTotals();
  return { llm: door.meter(usage, new AbortController().signal), usage };
}
