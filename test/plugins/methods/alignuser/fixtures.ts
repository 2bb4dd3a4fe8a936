import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import alignuser from '../../../../plugins/methods/alignuser/index.ts';
import alignuserPlus from '../../../../plugins/methods/alignuser-plus/index.ts';
import offline from '../../../../plugins/llms/offline/index.ts';
import synthetic from '../../../../plugins/datasets/synthetic-ratings/index.ts';
import { sampleFromSchema } from '../../../../plugins/llms/offline/schema-sample.ts';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { LlmDoor } from '../../../../harness/llm/door.ts';
import { loadPriceTable } from '../../../../harness/llm/prices.ts';
import { LlmRuntimeOptions } from '../../../../harness/llm/runtime-options.ts';
import { emptyTotals, type UsageTotals } from '../../../../harness/llm/usage-meter.ts';
import {
  Rng,
  type FitContext,
  type Interaction,
  type Item,
  type Llm,
  type LlmRequest,
  type RatingsDataset,
  type Simulator,
  type TrainData,
  type UnitContext,
  type UserView,
} from '../../../../harness/plugin-api.ts';

export type Options = Parameters<typeof alignuser.create>[0];
export type PlusOptions = Parameters<typeof alignuserPlus.create>[0];

/** Small fit budgets so a scripted fit stays readable. */
export const SMALL = { fitUsers: 3, pagesPerUser: 2, minContext: 3 } as const;

export const options = (o: Partial<Options> = {}): Options => ({
  ...(Value.Default(alignuser.options, {}) as Options),
  ...SMALL,
  ...o,
});
export const plusOptions = (o: Partial<PlusOptions> = {}): PlusOptions => ({
  ...(Value.Default(alignuserPlus.options, {}) as PlusOptions),
  ...SMALL,
  ...o,
});

const read = (p: Record<string, URL> | undefined) =>
  Object.fromEntries(Object.entries(p ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]));
export const prompts = read(alignuser.prompts as Record<string, URL>);
export const plusPrompts = read(alignuserPlus.prompts as Record<string, URL>);

export function makeLog(): { log: { info(m: string): void; warn(m: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) }, lines };
}

export async function makeSim(o: Partial<Options> = {}, log = makeLog().log): Promise<Simulator> {
  return alignuser.create(options(o), { seed: 3, configDir: '/', log, prompts });
}

export async function makePlus(o: Partial<PlusOptions> = {}, log = makeLog().log): Promise<Simulator> {
  return alignuserPlus.create(plusOptions(o), { seed: 3, configDir: '/', log, prompts: plusPrompts });
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `alignuser-${label}-`));
}

export function fitContext(llm: Llm | null, dir: string, log = makeLog().log): FitContext {
  return {
    seed: 7,
    configDir: '/',
    log,
    rng: Rng.derive(7, 'fit', 'alignuser', 'hand'),
    llm,
    artifacts: new ArtifactStore(join(dir, 'artifacts')),
    outputDir: join(dir, 'out'),
  };
}

export const unit = (llm: Llm | null): UnitContext => ({ rng: new Rng(1), llm, signal: new AbortController().signal });

const GENRES = ['Sci-Fi', 'Drama', 'Comedy', 'Horror'];
const WORDS: Record<string, string> = { 'Sci-Fi': 'starship', Drama: 'harbour', Comedy: 'sitcom', Horror: 'haunted' };

/** 16 items, four per genre, with genre words in titles and descriptions. */
export const ITEMS: Item[] = Array.from({ length: 16 }, (_, k) => {
  const g = GENRES[k % 4] as string;
  return {
    id: `m${k + 1}`,
    title: `The ${WORDS[g]} tale ${k + 1}`,
    genres: [g],
    description: `A ${g.toLowerCase()} story about a ${WORDS[g]}.`,
  };
});
export const ITEM = new Map(ITEMS.map((i) => [i.id, i]));

/**
 * Four users with nine ratings each, all 3–5 stars (so an alternative rating
 * of 1 always differs), each missing some items the others rated.
 */
export const RATED: Record<string, string[]> = {
  u1: ['m1', 'm2', 'm3', 'm5', 'm6', 'm7', 'm9', 'm10', 'm11'],
  u2: ['m2', 'm4', 'm6', 'm8', 'm10', 'm12', 'm14', 'm16', 'm1'],
  u3: ['m3', 'm4', 'm7', 'm8', 'm11', 'm12', 'm15', 'm16', 'm5'],
  u4: ['m1', 'm5', 'm9', 'm13', 'm2', 'm6', 'm10', 'm14', 'm3'],
};

export function train(): TrainData {
  const interactions: Interaction[] = [];
  for (const [user, items] of Object.entries(RATED))
    items.forEach((item, k) =>
      interactions.push({ user, item, rating: 3 + ((k + user.length) % 3), timestamp: 1000 + k }),
    );
  return {
    datasetName: 'hand',
    users: Object.keys(RATED).map((id) => ({ id, attributes: { age: 30, occupation: `job-${id}` } })),
    items: ITEMS,
    scale: { min: 1, max: 5, step: 1 },
    interactions,
  };
}

export function userView(id: string, t: TrainData = train()): UserView {
  const history = t.interactions
    .filter((x) => x.user === id)
    .map((x) => ({ item: ITEM.get(x.item) as Item, rating: x.rating, timestamp: x.timestamp }));
  return { id, attributes: { age: 30, occupation: `job-${id}` }, history, scale: t.scale };
}

/** Codes of a keyed schema (e.g. `items` of screening), in order. */
export function codesAt(schema: unknown, path: string[]): string[] {
  let s = schema as Record<string, unknown>;
  for (const p of path) s = (s['properties'] as Record<string, Record<string, unknown>>)[p] as Record<string, unknown>;
  return Object.keys(s['properties'] as Record<string, unknown>);
}

export const userText = (r: LlmRequest): string =>
  r.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');

/** The enum of page codes in a counterfactual request. */
function pageCodes(r: LlmRequest): string[] {
  const alt = ((r.schema as any).properties.alternatives.items as any).properties.watched.items.properties.item
    .enum as string[];
  return alt;
}

/**
 * A well-behaved scripted model for every AlignUSER call. Fit replies carry
 * markers (OUTCOME-, LESSON-PAGE-, LESSON-ITEM-, THOUGHT-) numbered by call.
 */
export function scripted(
  r: LlmRequest,
  n: number,
  over: { likeAll?: boolean; rating?: number; verdict?: 'keep' | 'change' } = {},
): string {
  const rng = new Rng(`reply-${n}`);
  switch (r.schemaName) {
    case 'counterfactual_actions': {
      const codes = pageCodes(r);
      const k = (r.schema as any).properties.alternatives.minItems as number;
      const alts = [
        { reasoning: `ALT-REASON-a-${n}`, watched: [{ item: codes[0], rating: 1 }] },
        { reasoning: `ALT-REASON-b-${n}`, watched: codes.map((c) => ({ item: c, rating: 2 })) },
        { reasoning: `ALT-REASON-c-${n}`, watched: [] },
      ].slice(0, k);
      const reply: Record<string, unknown> = { alternatives: alts };
      if ((r.schema as any).properties.focal) reply['focal'] = { rating: 1, reasoning: `FOCAL-REASON-${n}` };
      return JSON.stringify(reply);
    }
    case 'world_model_outcomes': {
      const m = (r.schema as any).properties.outcomes.minItems as number;
      return JSON.stringify({
        outcomes: Array.from({ length: m }, (_, k) => ({ nextState: `OUTCOME-${n}-${k + 1}` })),
      });
    }
    case 'reflection': {
      const m = (r.schema as any).properties.comparisons.minItems as number;
      const comparisons = Array.from({ length: m }, (_, k) => ({
        alternative: k + 1,
        contextualFit: 'fits',
        personaAlignment: 'aligned',
        futureOutcome: 'fine',
        closer: 'human',
      }));
      return JSON.stringify({ comparisons, lesson: `LESSON-PAGE-${n}: this person keeps watching what they know.` });
    }
    case 'item_reflection':
      return JSON.stringify({
        comparison: 'the simulator was too harsh',
        lesson: `LESSON-ITEM-${n}: this person rates generously.`,
      });
    case 'persona_generation':
      return JSON.stringify({
        occupation: `OCC-${n}`,
        ageRange: '25-34',
        openness: 3,
        conscientiousness: 2,
        extraversion: 1,
        agreeableness: 2,
        neuroticism: 1,
        pickiness: 2,
        habits: `HABITS-${n}: watches at weekends.`,
      });
    case 'post_interview_satisfaction':
      return JSON.stringify({ rating: 7, reason: `SATISFIED-${n}` });
    case 'policy_thought':
      return JSON.stringify({
        thought: `THOUGHT-${n}: I go for the familiar.`,
        reasons: Object.fromEntries(codesAt(r.schema, ['reasons']).map((c) => [c, `REASON-${c}`])),
      });
    case 'screening':
      return JSON.stringify({
        items: Object.fromEntries(
          codesAt(r.schema, ['items']).map((c) => [c, { decision: 'watch', reason: `SCREEN-${c}` }]),
        ),
      });
    case 'selection_like':
      return JSON.stringify({
        reasoning: 'REASONING',
        items: Object.fromEntries(
          codesAt(r.schema, ['items']).map((c, k) => [c, { like: over.likeAll ?? k % 2 === 0, rationale: `WHY-${c}` }]),
        ),
      });
    case 'selection_rating':
      return JSON.stringify({
        reasoning: 'REASONING',
        items: Object.fromEntries(
          codesAt(r.schema, ['items']).map((c) => [c, { rating: over.rating ?? 4, rationale: `WHY-${c}` }]),
        ),
      });
    default:
      return JSON.stringify(sampleFromSchema(r.schema as Record<string, unknown>, rng));
  }
}

/** The offline mock behind the real door, as a run uses it. */
export async function offlineLlm(): Promise<{ llm: Llm; usage: UsageTotals }> {
  const provider = await offline.create(
    { model: 'offline-mock' },
    { seed: 1, configDir: '/', log: { info() {}, warn() {} } },
  );
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

/** The synthetic dataset the end-to-end tests use, with complete options (the loader fills no defaults). */
export async function syntheticDataset(): Promise<RatingsDataset> {
  const d = await synthetic.load(
    {
      users: 20,
      items: 80,
      genres: 12,
      minRatings: 20,
      maxRatings: 25,
      noise: 0.6,
      dataSeed: null,
      split: 'agent4rec',
      splitSeed: 101,
      minLiked: 5,
      likedAbove: 3,
    },
    { seed: 2024, configDir: '/', log: { info() {}, warn() {} }, rng: new Rng(2024) },
  );
  if (d.kind !== 'ratings') throw new Error('expected ratings');
  return d;
}
