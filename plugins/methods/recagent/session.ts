import {
  CLICK_TYPES,
  renderTemplate,
  type Llm,
  type PastStep,
  type PersonaRecord,
  type PredictedAction,
  type Rng,
  type StepContext,
} from '../../../harness/plugin-api.js';
import { actionFromReply, actionSchema, historyBlock, type ActionReply } from '../shared/session-actions.js';
import { memoriesText } from './decision.js';
import { askJson, type CallSettings, type RecAgentPrompts } from './llm-call.js';
import { RecAgentMemory, type MemoryOptions } from './memory.js';

/**
 * RecAgent on a shopping session (OPeRA). YuLan-Rec has no session module;
 * the adaptation (ours) keeps its three parts: the profile (from the survey
 * persona), the three-stage memory (each earlier step of the session is an
 * observation, consolidated with the sensory cut, reinforcement, insights,
 * reflection and forgetting) and the memories retrieved for the current page
 * in the action prompt, with one action per step, as the original's
 * recommender action (watch / next / search / leave ↔ click / input /
 * terminate).
 */
export interface SessionDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  readonly memory: MemoryOptions;
  /** Most retrieved memories in the action prompt. */
  readonly maxMemories: number;
  /** Last steps shown verbatim, as the original shows its recently watched items beside memory. */
  readonly recentSteps: number;
}

/** The profile from the survey: the persona text, or the answers when there is none. */
export function sessionProfile(persona: PersonaRecord): string {
  const text = persona.persona.trim();
  if (text) return `About you: ${text}`;
  const answers = Object.entries(persona.attributes).map(([k, v]) => `${k}: ${v}`);
  return `About you: ${answers.length > 0 ? answers.join('; ') : '(no survey answers)'}`;
}

const firstLine = (observation: string): string => {
  const line = (observation.split('\n', 1)[0] ?? '').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

/** The label of an element, as the observation lists it (`  [id] tag "label"`). */
function elementLabel(observation: string, id: string): string | null {
  for (const line of observation.split('\n')) {
    const t = line.trim();
    if (!t.startsWith(`[${id}]`)) continue;
    const m = /"(.*)"\s*$/.exec(t);
    return m ? (m[1] as string) : null;
  }
  return null;
}

/** An earlier step as a first-person observation for memory: the page, what was done there and why. */
export function stepObservation(step: PastStep): string {
  const a = step.action;
  const label = a.target ? elementLabel(step.observation, a.target) : null;
  const element = a.target ? `[${a.target}]${label ? ` "${label}"` : ''}` : 'an element';
  const did =
    a.type === 'terminate'
      ? 'I ended the session'
      : a.type === 'input'
        ? `I typed "${a.text ?? ''}" into ${element}`
        : `I clicked ${element}${a.clickType ? ` (${a.clickType})` : ''}`;
  return `On the page "${firstLine(step.observation)}" ${did}${step.rationale ? `, because ${step.rationale}` : ''}.`;
}

/**
 * One step: the memory is built from the session's earlier steps (one
 * consolidation step over all of them: ⌈steps / importanceBatchSize⌉
 * importance calls, 0 or 1 insight call, 0 or 1 reflection call), the
 * memories the page recalls go into the action prompt, and one structured
 * action comes back. It reads only the step, so every step is independent of
 * the other units.
 */
export async function sessionAction(
  step: StepContext,
  llm: Llm,
  rng: Rng,
  deps: SessionDeps,
): Promise<PredictedAction> {
  const profile = sessionProfile(step.persona);
  // Memory calls speak to a shopper, not to a recommender's user.
  const prompts = { ...deps.prompts, system: deps.prompts.shopperSystem };
  // The pages' lines weigh the terms of similarity (a handful of observations alone would make every term common).
  const background = [...step.history.map((h) => h.observation), step.observation]
    .flatMap((o) => o.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const memory = new RecAgentMemory(deps.memory, { prompts, settings: deps.settings, profile }, rng, background);
  await memory.observe(step.history.map(stepObservation), llm);
  const recalled = memory.retrieve(step.observation.slice(0, 2000), deps.maxMemories).map((r) => r.entry);
  const reply = await askJson<ActionReply>(
    llm,
    deps.settings,
    prompts.system,
    renderTemplate(deps.prompts.sessionAction, {
      profile,
      memories: memoriesText(recalled),
      recent: historyBlock(step.history, deps.recentSteps),
      observation: step.observation,
      clickTypes: CLICK_TYPES.join(', '),
    }),
    actionSchema(step),
    'next_action',
  );
  return actionFromReply(reply);
}
