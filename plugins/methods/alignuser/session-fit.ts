import type { FitContext, SessionsTrainData } from '../../../harness/plugin-api.js';
import { NO_BLOCKS } from './decision.js';
import { fitWithBackend, type AlignUserPrompts, type BackendOutcome } from './fit.js';
import type { AlignUserOptions } from './options.js';
import type { ChatExample } from './policy-examples.js';
import { SessionAlignmentBuilder, type SessionAlignmentData, type SessionWorldModel } from './session-alignment.js';
import { SessionExperienceBank } from './session-bank.js';
import { SessionRequests, type ActionSelection } from './session-decision.js';
import { replyOf, type SessionTransition } from './session-steps.js';
import { StepIndex } from './step-index.js';
import { SessionWorldModelDemos } from './world-model-demos.js';

/** As the ratings fit's outcome, with the world-model demonstrations every backend retrieves. */
export type SessionFitOutcome = BackendOutcome<SessionExperienceBank, SessionAlignmentData> & {
  readonly demos: SessionWorldModelDemos;
};

function withAnswer(
  request: { messages: readonly { role: 'system' | 'user' | 'assistant'; content: string }[] },
  answer: unknown,
): ChatExample {
  return {
    messages: [
      ...request.messages.map((m) => ({ role: m.role, content: m.content })),
      { role: 'assistant', content: JSON.stringify(answer) },
    ],
  };
}

/**
 * The sessions SFT data, in the exact prompts inference sends (without
 * retrieved lessons and steps; with the world-model demonstrations every
 * backend retrieves, the step itself left out): per aligned step an
 * action-selection example whose answer is the policy's chain of thought, the
 * person's own rationale (else the policy's) and the human action; per
 * transition, optionally, a next-state (world-model) example whose answer is
 * the real next page.
 */
export function sessionSftExamples(
  transitions: readonly SessionTransition[],
  data: SessionAlignmentData,
  requests: SessionRequests,
  worldModel: SessionWorldModel,
  opts: { readonly worldModelExamples: boolean },
  demos: SessionWorldModelDemos | null = null,
): ChatExample[] {
  const byId = new Map(transitions.map((t) => [t.id, t]));
  const out: ChatExample[] = [];
  for (const a of data.aligned) {
    const t = byId.get(a.id);
    if (!t) continue;
    const answer: ActionSelection = {
      reasoning: a.policy.thought,
      rationale: t.rationale ?? a.policy.rationale,
      action: replyOf(t.action),
    };
    out.push(
      withAnswer(requests.select(t.step, { ...NO_BLOCKS, worldModel: demos?.block(t.step, t.id) ?? '' }), answer),
    );
  }
  if (opts.worldModelExamples) {
    for (const t of transitions)
      out.push(withAnswer(worldModel.request(t, [t.action]), { outcomes: [{ nextState: t.nextState }] }));
  }
  return out;
}

/** Fit on a sessions dataset (OPeRA-style): the train sessions only. */
export async function fitAlignUserSessions(
  method: string,
  train: SessionsTrainData,
  ctx: FitContext,
  prompts: AlignUserPrompts,
  o: AlignUserOptions,
): Promise<SessionFitOutcome> {
  if (!ctx.llm) throw new Error(`${method} needs an LLM to fit: configure llm: for the run or for the method`);
  const builder = new SessionAlignmentBuilder(prompts, o);
  const sample = builder.sample(train, ctx.rng);
  const transitions = sample.transitions;
  const aligned = transitions.filter((t) => t.aligned).length;
  if (transitions.length === 0)
    ctx.log.warn(`${method}: the training split has no session with steps; fit learned nothing`);
  else
    ctx.log.info(`${method}: ${sessionBudgetText(aligned, sample.possible, sample.sessions, transitions.length, o)}`);
  const base = builder.baseKey(train, transitions);
  // One index of the transitions: the bank's similar steps and the demonstrations search it with the same query.
  const index = new StepIndex(transitions);
  const outcome = await fitWithBackend<SessionExperienceBank, SessionAlignmentData>(method, ctx, o, {
    base,
    build: (llm) => builder.build(transitions, base, ctx, llm),
    bank: (data) => new SessionExperienceBank(transitions, data.aligned, o, index),
    examples: (data) =>
      sessionSftExamples(
        transitions,
        data,
        new SessionRequests(prompts, o),
        builder.worldModel,
        o,
        new SessionWorldModelDemos(transitions, data.aligned, o.worldModelDemos, index),
      ),
  });
  return {
    ...outcome,
    demos: new SessionWorldModelDemos(transitions, outcome.data?.aligned ?? null, o.worldModelDemos, index),
  };
}

/** What the sessions fit budget came to, and whether it is all the data allows or the cap. */
export function sessionBudgetText(
  aligned: number,
  possible: number,
  sessions: number,
  transitions: number,
  o: Pick<AlignUserOptions, 'fitSessions' | 'stepsPerSession' | 'maxAlignedSteps'>,
): string {
  const limits =
    o.fitSessions === null && o.stepsPerSession === null
      ? 'every training session and step'
      : `fitSessions = ${o.fitSessions ?? 'all'}, stepsPerSession = ${o.stepsPerSession ?? 'all'}`;
  const capped = aligned < possible ? `, capped by maxAlignedSteps = ${o.maxAlignedSteps} (of ${possible})` : '';
  return `fit budget: ${aligned} aligned steps, ${transitions} transitions of ${sessions} sessions (${limits}${capped}; the paper states no budget)`;
}
