import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import recagent from '../../../../plugins/methods/recagent/index.ts';
import type { Item, LlmRequest, Simulator, UnitContext, UserView, Llm } from '../../../../harness/plugin-api.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import type { RecAgentPrompts } from '../../../../plugins/methods/recagent/llm-call.ts';

export type Options = Parameters<typeof recagent.create>[0];

/** The plugin's defaults, as the config loader fills them, with overrides. */
export const options = (o: Partial<Options> = {}): Options => ({
  ...(Value.Default(recagent.options, {}) as Options),
  ...o,
});

/** Prompt templates read from disk, as the runner does. */
export const promptFiles: Record<string, string> = Object.fromEntries(
  Object.entries(recagent.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]),
);
export const prompts = promptFiles as unknown as RecAgentPrompts;

export function makeSim(o: Partial<Options> = {}): Promise<Simulator> {
  return recagent.create(options(o), { seed: 1, configDir: '/', log: { info() {}, warn() {} }, prompts: promptFiles });
}

export const unit = (llm: Llm): UnitContext => ({ rng: new Rng(1), llm, signal: new AbortController().signal });

const it = (id: string, title: string, genres: string[], description: string): Item => ({
  id,
  title,
  genres,
  description,
});

export const ITEMS: Record<string, Item> = {
  a: it('a', 'Star Voyage', ['Sci-Fi', 'Adventure'], 'Explorers cross a dying galaxy aboard a starship.'),
  b: it('b', 'Nebula Wars', ['Sci-Fi', 'Action'], 'Starship fleets battle over a nebula.'),
  c: it('c', 'Quiet Harbour', ['Drama'], 'A fisherman mourns his brother.'),
  d: it('d', 'Tax Season', ['Comedy'], 'An accountant stumbles through the worst week of the year.'),
  e: it('e', 'Moon Colony', ['Sci-Fi', 'Drama'], 'Settlers on the moon face a failing oxygen plant.'),
  x: it('x', 'Starship Orphans', ['Sci-Fi', 'Adventure'], 'Children raised on a starship search for a new home.'),
  y: it('y', 'Knitting Circle', ['Documentary'], 'Grandmothers knit for charity.'),
};

/** A sci-fi fan who dislikes comedy; oldest first. */
export function userU(): UserView {
  const ratings: Array<[string, number]> = [
    ['c', 3],
    ['a', 5],
    ['d', 1],
    ['b', 5],
    ['e', 4],
  ];
  return {
    id: 'u',
    attributes: { age: 35, occupation: 'engineer' },
    history: ratings.map(([id, rating], k) => ({ item: ITEMS[id] as Item, rating, timestamp: 1000 + k })),
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

export interface ReplyOpts {
  importance?: number;
  watch?: (code: string) => boolean;
  rating?: number;
  /** The action object of a browse page decision (default: leave). */
  action?: (r: LlmRequest, n: number) => Record<string, unknown>;
}

/** A well-behaved scripted model for every RecAgent call. */
export function defaultReply(r: LlmRequest, n: number, o: ReplyOpts = {}): string {
  switch (r.schemaName) {
    case 'importance':
      return JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, o.importance ?? 7])));
    case 'insights':
      return JSON.stringify(
        Object.fromEntries(codesOf(r).map((c) => [c, `INSIGHT-${c}-${n}: I keep coming back to starships.`])),
      );
    case 'reflection':
      return JSON.stringify({ insights: [`REFLECTION-${n}: starship stories are my thing.`] });
    case 'page_choices':
      return JSON.stringify(
        Object.fromEntries(codesOf(r).map((c) => [c, { watch: (o.watch ?? (() => true))(c), reason: `REASON-${c}` }])),
      );
    case 'ratings':
      return JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, o.rating ?? 4])));
    case 'page_action':
      return JSON.stringify({ reason: `REASON-${n}`, action: o.action?.(r, n) ?? { type: 'leave' } });
    case 'watch_feeling':
      return JSON.stringify({ rating: o.rating ?? 4, feeling: `FEELING-${n}: it stayed with me.` });
    default:
      throw new Error(`unexpected request ${r.schemaName}`);
  }
}

// ---------------------------------------------------------------- end to end

import { Value as V } from '@sinclair/typebox/value';
import synthetic from '../../../../plugins/datasets/synthetic-ratings/index.ts';
import offline from '../../../../plugins/llms/offline/index.ts';
import { LlmDoor } from '../../../../harness/llm/door.ts';
import { loadPriceTable } from '../../../../harness/llm/prices.ts';
import { LlmRuntimeOptions } from '../../../../harness/llm/runtime-options.ts';
import { emptyTotals, type UsageTotals } from '../../../../harness/llm/usage-meter.ts';
import { asRatings } from '../../../support/hand-dataset.ts';

const quiet = { info() {}, warn() {} };

/** The small synthetic dataset of the end-to-end tests (complete options: load() fills no defaults). */
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

/** The offline mock LLM behind the real door (validation and repair as in a run). */
export async function offlineLlm(): Promise<{ llm: Llm; usage: UsageTotals }> {
  const provider = await offline.create({ model: 'offline-mock' }, { seed: 1, configDir: '/', log: quiet });
  const door = new LlmDoor(provider, {
    runtime: V.Default(LlmRuntimeOptions, {}) as never,
    cache: null,
    cacheOnly: false,
    prices: loadPriceTable(),
    seed: 1,
  });
  const usage = emptyTotals();
  return { llm: door.meter(usage, new AbortController().signal), usage };
}
