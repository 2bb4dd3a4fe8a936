import type { FitContext, SessionsTrainData } from '../../../harness/plugin-api.js';
import { NO_BLOCKS } from './decision.js';
import { fitWithBackend, type AlignUserPrompts, type BackendOutcome } from './fit.js';
import type { AlignUserOptions } from './options.js';
import type { ChatExample } from './policy-examples.js';
import { SessionAlignmentBuilder, type SessionAlignmentData, type SessionWorldModel } from './session-alignment.js';
import { SessionExperienceBank } from './session-bank.js';
import { SessionRequests, type ActionSelection } from './session-decision.js';
import { replyOf, type SessionTransition } from './session-steps.js';

export type SessionFitOutcome = BackendOutcome<SessionExperienceBank, SessionAlignmentData>;

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
 * retrieved blocks): per aligned step an action-selection example whose answer
 * is the policy's chain of thought, the person's own rationale (else the
 * policy's) and the human action; per transition, optionally, a next-state
 * (world-model) example whose answer is the real next page.
 */
export function sessionSftExamples(
  transitions: readonly SessionTransition[],
  data: SessionAlignmentData,
  requests: SessionRequests,
  worldModel: SessionWorldModel,
  opts: { readonly worldModelExamples: boolean },
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
    out.push(withAnswer(requests.select(t.step, NO_BLOCKS), answer));
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
  const transitions = builder.transitions(train, ctx.rng);
  if (transitions.length === 0)
    ctx.log.warn(`${method}: the training split has no session with steps; fit learned nothing`);
  const base = builder.baseKey(train, transitions);
  return fitWithBackend<SessionExperienceBank, SessionAlignmentData>(method, ctx, o, {
    base,
    build: (llm) => builder.build(transitions, base, ctx, llm),
    bank: (data) => new SessionExperienceBank(transitions, data.aligned, o),
    examples: (data) => sessionSftExamples(transitions, data, new SessionRequests(prompts, o), builder.worldModel, o),
  });
}
