import {
  fitItems,
  hashJson,
  sha256,
  type FitContext,
  type Item,
  type Llm,
  type RatingScale,
  type Rng,
  type TrainData,
} from '../../../harness/plugin-api.js';
import { proposeCounterfactuals, type FitCallSettings } from './counterfactual.js';
import { dataOptions, type AlignUserOptions } from './options.js';
import { pageContext, type PageContext } from './page-context.js';
import { itemOf, sampleTransitions, viewBefore, type Transition, type TransitionSample } from './pages.js';
import type { ItemEvidence } from './item-evidence.js';
import { personaOf } from './persona.js';
import { personaRequest, type PersonaGenerationSettings } from './persona-generation.js';
import type { AlignedTransition, AlignmentData } from './aligned-transition.js';
import { writePolicyThought } from './policy-examples.js';
import { reflect, reflectOnRating } from './reflection.js';
import { WorldModel } from './world-model.js';
import { FIT_CONCURRENCY } from './map-pool.js';

export type { AlignedTransition, AlignmentData } from './aligned-transition.js';

/** Bumped when the shape or meaning of the stored data changes, so old artifacts are not reused. */
export const ALIGNMENT_VERSION = 2;

/** The templates fit renders; their hashes are part of the artifact key. */
export const FIT_PROMPTS = [
  'fitSystem',
  'state',
  'counterfactual',
  'worldModel',
  'reflection',
  'itemReflection',
  'policy',
  'personaGeneration',
  'personaSystem',
] as const;
export type FitPromptName = (typeof FIT_PROMPTS)[number];

/** One human step with everything fit learned from it. */
/**
 * Fit's four products, from the training split only: world-model transitions,
 * K counterfactuals per human transition with world-model outcomes, a
 * reflection (page-level and, with ratings, item-level) ending in lessons, and
 * the policy's chain of thought per human step. Stored by content hash, so a
 * rerun makes no LLM call.
 */
export class AlignmentBuilder {
  readonly worldModel: WorldModel;
  private readonly call: FitCallSettings;

  constructor(
    private readonly prompts: Readonly<Record<FitPromptName, string>>,
    private readonly o: AlignUserOptions,
  ) {
    this.call = { system: prompts.fitSystem.trim(), temperature: o.temperature, maxTokens: o.maxTokens };
    this.worldModel = new WorldModel(prompts.worldModel, this.call);
  }

  sample(train: TrainData, rng: Rng): TransitionSample {
    return sampleTransitions(train, this.o, rng);
  }

  /** persona: generated: the settings of the persona call; summary: null (no call). */
  get personaGeneration(): PersonaGenerationSettings | null {
    if (this.o.persona !== 'generated') return null;
    return {
      system: this.prompts.personaSystem.trim(),
      template: this.prompts.personaGeneration,
      maxLiked: this.o.maxLiked,
      maxDisliked: this.o.maxDisliked,
      temperature: this.o.temperature,
      maxTokens: this.o.maxTokens,
    };
  }

  itemsOf(train: TrainData): Map<string, Item> {
    return new Map(train.items.map((i) => [i.id, i]));
  }

  contextOf(
    t: Transition,
    items: ReadonlyMap<string, Item>,
    scale: RatingScale | null,
    personas: Readonly<Record<string, string>>,
    evidence: ItemEvidence | null,
  ): PageContext {
    return pageContext(t, items, scale, this.prompts.state, this.o, personas[t.user], evidence);
  }

  /** What the data is made from, without the LLM: options, the interactions and item texts used, the templates. */
  baseKey(train: TrainData, transitions: readonly Transition[]): Record<string, unknown> {
    const items = this.itemsOf(train);
    const used = new Set<string>();
    for (const t of transitions) {
      for (const h of t.history) used.add(h.item);
      for (const i of t.page) used.add(i);
    }
    const trainHash = hashJson({
      dataset: train.datasetName,
      scale: train.scale,
      transitions,
      items: [...used].sort().map((id) => itemOf(items, id)),
    });
    const prompts = Object.fromEntries(FIT_PROMPTS.map((name) => [name, sha256(this.prompts[name])]));
    return {
      artifact: 'alignuser/alignment-data',
      version: ALIGNMENT_VERSION,
      options: dataOptions(this.o),
      train: trainHash,
      prompts,
    };
  }

  /** Each fit user's persona, from their history before their first page (so it never sees a page's own ratings). */
  private async personas(
    transitions: readonly Transition[],
    items: ReadonlyMap<string, Item>,
    scale: RatingScale | null,
    ctx: FitContext,
    llm: Llm,
  ): Promise<Record<string, string>> {
    const generation = this.personaGeneration;
    if (!generation) return {};
    const first = new Map<string, Transition>();
    for (const t of transitions) if (!first.has(t.user)) first.set(t.user, t);
    // A persona whose call still fails after its repair turn is left out (the user keeps the summary persona).
    const entries = await fitItems(
      'alignuser: personas',
      [...first.values()],
      (t) => t.user,
      async (t) => {
        const view = viewBefore(t, items, scale);
        // Keyed by what the call says, so a user's persona is reused whatever else changed.
        const key = {
          artifact: 'alignuser/persona',
          version: ALIGNMENT_VERSION,
          request: hashJson(personaRequest(view, generation)),
          llm: llm.model,
        };
        return [t.user, await ctx.artifacts.memo(key, () => personaOf(llm, view, generation))] as const;
      },
      { concurrency: FIT_CONCURRENCY },
    );
    return Object.fromEntries(entries.filter((e) => e !== null));
  }

  async build(
    train: TrainData,
    transitions: readonly Transition[],
    evidence: ItemEvidence | null,
    ctx: FitContext,
    llm: Llm,
  ): Promise<AlignmentData> {
    const base = this.baseKey(train, transitions);
    const items = this.itemsOf(train);
    return ctx.artifacts.memo({ ...base, llm: llm.model }, async () => {
      const personas = await this.personas(transitions, items, train.scale, ctx, llm);
      // A transition whose calls still fail after the repair turn is left out (and recorded); the fit goes on.
      const aligned = await fitItems(
        'alignuser: align transitions',
        transitions,
        (t) => t.id,
        (t) => {
          const page = this.contextOf(t, items, train.scale, personas, evidence);
          const future = this.futureOf(t, transitions, items);
          // Keyed by what its prompts say, so a transition is reused whatever else changed in the sample.
          const shown = hashJson({
            state: page.stateText,
            page: page.pageText,
            action: page.humanAction,
            next: page.humanNextState,
            future,
            scale: train.scale,
          });
          const key = {
            ...base,
            artifact: 'alignuser/aligned-transition',
            train: undefined,
            transition: t,
            shown,
            llm: llm.model,
          };
          return ctx.artifacts.memo(key, () => this.align(llm, page, future));
        },
        { concurrency: FIT_CONCURRENCY },
      );
      return {
        version: ALIGNMENT_VERSION,
        transitions: aligned.filter((a): a is AlignedTransition => a !== null),
        personas,
      };
    });
  }

  /** What the person really did next (their following page), when the trajectory has one: the true future outcome. */
  private futureOf(t: Transition, all: readonly Transition[], items: ReadonlyMap<string, Item>): string {
    const k = all.indexOf(t);
    const next = all[k + 1];
    if (!next || next.user !== t.user) return '';
    const watched = next.action.watched.map(
      (w) => `"${itemOf(items, w.item).title}"${w.rating !== null ? ` (rated ${w.rating})` : ''}`,
    );
    const skipped = next.page.length - next.action.watched.length;
    return ` On their next page they watched ${watched.length > 0 ? watched.join(', ') : 'nothing'} and skipped ${skipped} item${skipped === 1 ? '' : 's'}.`;
  }

  private async align(llm: Llm, page: PageContext, future: string): Promise<AlignedTransition> {
    const proposal = await proposeCounterfactuals(llm, this.prompts.counterfactual, page, this.o.counterfactuals, {
      ...this.call,
      temperature: this.o.counterfactualTemperature,
    });
    const outcomes = await this.worldModel.predict(
      llm,
      page,
      proposal.alternatives.map((a) => a.action),
    );
    const explored = proposal.alternatives.map((a, k) => ({ ...a, outcome: outcomes[k] ?? '' }));
    const reflection =
      explored.length > 0
        ? await reflect(llm, this.prompts.reflection, page, page.humanNextState + future, explored, this.call)
        : null;
    const itemReflection = proposal.focal
      ? await reflectOnRating(llm, this.prompts.itemReflection, page, proposal.focal, this.call)
      : null;
    const lessons = [reflection?.lesson, itemReflection?.lesson].filter(
      (l): l is string => typeof l === 'string' && l !== '',
    );
    const policy = await writePolicyThought(llm, this.prompts.policy, page, lessons, this.call);
    return {
      transition: page.transition,
      alternatives: explored,
      dropped: proposal.dropped,
      reflection,
      itemReflection,
      policy,
    };
  }
}
