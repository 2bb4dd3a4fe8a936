import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashJson, sha256, type FitContext, type Llm, type TrainData } from '../../../harness/plugin-api.js';
import { AlignmentBuilder, type AlignmentData, type FitPromptName } from './alignment-data.js';
import { DecisionRequests, NO_BLOCKS, type DecisionPrompts } from './decision.js';
import { ItemEvidence } from './item-evidence.js';
import { PageWorldModelDemos } from './world-model-demos.js';
import { ExperienceBank } from './experience-bank.js';
import { SFT_FILE, toJsonl, writeSftFile } from './export.js';
import { runFineTune, type FineTuneResult } from './finetune.js';
import type { AlignUserOptions } from './options.js';
import type { SessionFitPromptName } from './session-alignment.js';
import type { SessionDecisionPrompts } from './session-decision.js';
import { sftExamples, type ChatExample } from './policy-examples.js';

export type AlignUserPrompts = Readonly<Record<FitPromptName, string>> &
  DecisionPrompts &
  Readonly<Record<SessionFitPromptName, string>> &
  SessionDecisionPrompts;

/**
 * in-context: the retrieval memory of fit (bank); openai-finetune / export:
 * the model trained from the data, when known. Every backend: the item
 * evidence of the pages and the world-model demonstrations.
 */
export type FitOutcome = BackendOutcome<ExperienceBank, AlignmentData> & {
  readonly evidence: ItemEvidence;
  readonly demos: PageWorldModelDemos;
};

export const FINE_TUNED_FILE = 'fine-tuned-model.json';

/** The backend's result: a retrieval bank (in-context) or the name of the model trained from the data. */
export interface BackendOutcome<B, D> {
  readonly bank: B | null;
  readonly trainedModel: string | null;
  readonly data: D | null;
}

/** How a fit's data is built, indexed and turned into SFT examples; the backends are the same for ratings and sessions. */
export interface FitSteps<B, D> {
  /** What the data is made from (without the LLM): also names the trained model's record. */
  readonly base: Record<string, unknown>;
  build(llm: Llm): Promise<D>;
  bank(data: D): B & { readonly size: { readonly transitions: number; readonly lessons: number } };
  examples(data: D): ChatExample[];
}

/**
 * Fit with the configured backend. The data is built (or reused) first; then
 * in-context indexes it, export writes the SFT file, openai-finetune also
 * trains on it. When the run's LLM already is the model trained from this
 * data, nothing is built: that model carries the lessons in its weights.
 */
export async function fitWithBackend<B, D>(
  method: string,
  ctx: FitContext,
  o: AlignUserOptions,
  steps: FitSteps<B, D>,
): Promise<BackendOutcome<B, D>> {
  const llm = ctx.llm;
  if (!llm) throw new Error(`${method} needs an LLM to fit: configure llm: for the run or for the method`);
  const trainedKey = (model: string) => ({ artifact: 'alignuser/trained-model', model, data: hashJson(steps.base) });

  if (
    o.training !== 'in-context' &&
    (o.trainedModel === llm.model || existsSync(ctx.artifacts.pathOf(trainedKey(llm.model))))
  ) {
    ctx.log.info(
      `${method}: the run's LLM ${llm.model} is the model trained from this data; fit makes no LLM call and inference uses no retrieval`,
    );
    return { bank: null, trainedModel: llm.model, data: null };
  }

  const data = await steps.build(llm);
  if (o.training === 'in-context') {
    const bank = steps.bank(data);
    ctx.log.info(
      `${method}: ${bank.size.transitions} transitions and ${bank.size.lessons} lessons ready for retrieval`,
    );
    return { bank, trainedModel: null, data };
  }

  const examples = steps.examples(data);
  const path = writeSftFile(ctx.outputDir, examples);
  if (o.training === 'export') {
    ctx.log.info(
      `${method}: wrote ${examples.length} chat-format SFT examples to ${path}. Train a LoRA adapter on it, serve it (e.g. vllm serve <base> --enable-lora --lora-modules usersim=<adapter>), ` +
        `then rerun with this method's llm: { plugin: openai, baseURL: http://localhost:8000/v1, model: usersim } and trainedModel: usersim (see plugins/methods/alignuser/README.md)`,
    );
    return { bank: null, trainedModel: o.trainedModel, data };
  }

  const jsonl = toJsonl(examples);
  const jobKey = {
    artifact: 'alignuser/fine-tune-job',
    sft: sha256(jsonl),
    baseModel: o.baseModel,
    baseURL: o.baseURL,
    suffix: o.suffix,
  };
  const job = await ctx.artifacts.memo<FineTuneResult>(
    jobKey,
    () =>
      runFineTune(jsonl, examples.length, o, {
        log: ctx.log,
        pendingPath: join(ctx.outputDir, 'fine-tune-pending.json'),
      }),
    // A fine-tuning job is paid for: never run again only because its artifact predates call records.
    { noLlmCalls: true },
  );
  // The record that lets a later fit recognise the fine-tuned model as the trained one.
  await ctx.artifacts.memo(trainedKey(job.model), async () => ({ ...job, sftFile: SFT_FILE }), { noLlmCalls: true });
  const llmConfig = { plugin: 'openai', model: job.model, baseURL: o.baseURL, apiKeyEnv: o.apiKeyEnv };
  mkdirSync(ctx.outputDir, { recursive: true });
  writeFileSync(join(ctx.outputDir, FINE_TUNED_FILE), JSON.stringify({ ...job, llm: llmConfig }, null, 2) + '\n');
  ctx.log.info(
    `${method}: fine-tuned model ${job.model} is ready (recorded in ${join(ctx.outputDir, FINE_TUNED_FILE)}). Evaluate it by rerunning with --set llm.model=${job.model} ` +
      `(with --fresh or a new run name), or give this method llm: { plugin: openai, model: ${job.model} }; this run's LLM (${llm.model}) is not that model, so its units are errors`,
  );
  return { bank: null, trainedModel: job.model, data };
}

/** Fit on a ratings dataset: browsing pages from the training interactions. */
export async function fitAlignUser(
  method: string,
  train: TrainData,
  ctx: FitContext,
  prompts: AlignUserPrompts,
  o: AlignUserOptions,
): Promise<FitOutcome> {
  if (!ctx.llm) throw new Error(`${method} needs an LLM to fit: configure llm: for the run or for the method`);
  const builder = new AlignmentBuilder(prompts, o);
  const sample = builder.sample(train, ctx.rng);
  const transitions = sample.transitions;
  if (transitions.length === 0)
    ctx.log.warn(
      `${method}: no training user has the ${o.minContext + o.positivesPerPage} interactions a page needs; fit learned nothing (lower minContext or positivesPerPage)`,
    );
  else ctx.log.info(`${method}: ${budgetText(transitions.length, sample.possible, sample.users, o)}`);
  const items = builder.itemsOf(train);
  const evidence = new ItemEvidence(train, o);
  const outcome = await fitWithBackend<ExperienceBank, AlignmentData>(method, ctx, o, {
    base: builder.baseKey(train, transitions),
    build: (llm) => builder.build(train, transitions, evidence, ctx, llm),
    bank: (data) => new ExperienceBank(data.transitions, items, o),
    examples: (data) => {
      const demos = new PageWorldModelDemos(transitions, data.transitions, items, o.worldModelDemos);
      return sftExamples(
        data.transitions,
        (a) => builder.contextOf(a.transition, items, train.scale, data.personas, evidence),
        new DecisionRequests(prompts, o),
        builder.worldModel,
        o,
        (a, page) => ({ ...NO_BLOCKS, worldModel: demos.block(page, a.transition.id) }),
      );
    },
  });
  const demos = new PageWorldModelDemos(transitions, outcome.data?.transitions ?? null, items, o.worldModelDemos);
  return { ...outcome, evidence, demos };
}

/** What the fit budget came to, and whether it is all the data allows or the cap. */
export function budgetText(
  taken: number,
  possible: number,
  users: number,
  o: Pick<AlignUserOptions, 'fitUsers' | 'pagesPerUser' | 'maxFitTransitions'>,
): string {
  const limits =
    o.fitUsers === null && o.pagesPerUser === null
      ? 'every page the training data allows'
      : `fitUsers = ${o.fitUsers ?? 'all'}, pagesPerUser = ${o.pagesPerUser ?? 'all'}`;
  const capped = taken < possible ? `, capped by maxFitTransitions = ${o.maxFitTransitions} (of ${possible})` : '';
  return `fit budget: ${taken} transitions of ${users} users (${limits}${capped}; the paper states no budget)`;
}
