import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import syntheticSessions from '../../../../plugins/datasets/synthetic-sessions/index.ts';
import { observationTargets, Rng, type LlmRequest, type SessionsDataset } from '../../../../harness/plugin-api.ts';
import { sampleFromSchema } from '../../../../plugins/llms/offline/schema-sample.ts';
import { userText } from './fixtures.ts';

/** Small session fit budgets so a scripted fit stays readable: 4 sessions × 2 steps. */
export const SMALL_SESSIONS = { fitSessions: 4, stepsPerSession: 2 } as const;

const cache = new Map<string, Promise<SessionsDataset>>();

/**
 * A synthetic OPeRA dataset written to a temporary datasets folder (never the
 * project's datasets/cache), loaded once per test file and size.
 */
export function sessionsDataset(users = 6): Promise<SessionsDataset> {
  let d = cache.get(String(users));
  if (!d) {
    d = (async () => {
      const saved = process.env['USERSIM_DATASETS_DIR'];
      process.env['USERSIM_DATASETS_DIR'] = mkdtempSync(join(tmpdir(), 'alignuser-sessions-data-'));
      try {
        const loaded = await syntheticSessions.load(
          { users, minSessions: 3, maxSessions: 5, testFraction: 0.2, dataSeed: null, observationChars: 8000 },
          { seed: 2024, configDir: '/', log: { info() {}, warn() {} }, rng: new Rng(2024) },
        );
        if (loaded.kind !== 'sessions') throw new Error('expected sessions');
        return loaded;
      } finally {
        if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
        else process.env['USERSIM_DATASETS_DIR'] = saved;
      }
    })();
    cache.set(String(users), d);
  }
  return d;
}

/** The page targets a request's action schema admits (the enum of its click alternative), in page order. */
export function schemaTargets(r: LlmRequest, path: 'selection' | 'alternatives' | 'validation'): string[] {
  const props = (r.schema as any).properties;
  const union = path === 'alternatives' ? props.alternatives.items.properties.action : props.action;
  const click = (union.anyOf as any[]).find((a) => a.properties.type.const === 'click');
  return click ? (click.properties.target.enum as string[]) : [];
}

/** The current page of a session prompt: the text after "Current page:". */
export function currentPage(r: LlmRequest): string {
  const text = userText(r);
  return text.slice(text.indexOf('Current page:'));
}

/**
 * A well-behaved scripted model for the session calls. Fit replies carry
 * markers (STEP-OUTCOME-, LESSON-STEP-, STEP-THOUGHT-) numbered by call; the
 * selection clicks the last element of the page.
 */
export function scriptedSession(r: LlmRequest, n: number): string {
  const rng = new Rng(`session-reply-${n}`);
  switch (r.schemaName) {
    case 'session_counterfactuals': {
      const targets = schemaTargets(r, 'alternatives');
      const k = (r.schema as any).properties.alternatives.minItems as number;
      const alts = [
        { reasoning: `ALT-a-${n}`, action: { type: 'terminate' } },
        {
          reasoning: `ALT-b-${n}`,
          action:
            targets.length > 0
              ? { type: 'click', clickType: 'other', target: targets[targets.length - 1] }
              : { type: 'terminate' },
        },
        {
          reasoning: `ALT-c-${n}`,
          action:
            targets.length > 0 ? { type: 'input', target: targets[0], text: 'cheap socks' } : { type: 'terminate' },
        },
      ].slice(0, k);
      return JSON.stringify({ alternatives: alts });
    }
    case 'session_world_model': {
      const m = (r.schema as any).properties.outcomes.minItems as number;
      return JSON.stringify({
        outcomes: Array.from({ length: m }, (_, k) => ({ nextState: `STEP-OUTCOME-${n}-${k + 1}` })),
      });
    }
    case 'session_reflection': {
      const m = (r.schema as any).properties.comparisons.minItems as number;
      const comparisons = Array.from({ length: m }, (_, k) => ({
        alternative: k + 1,
        contextualFit: 'fits',
        personaAlignment: 'aligned',
        futureOutcome: 'leads on',
        closer: 'human',
      }));
      return JSON.stringify({
        comparisons,
        lesson: `LESSON-STEP-${n}: this shopper checks the product page before buying.`,
      });
    }
    case 'session_policy_thought':
      return JSON.stringify({
        thought: `STEP-THOUGHT-${n}: I look at what I came for.`,
        rationale: `STEP-RATIONALE-${n}`,
      });
    case 'next_action_selection': {
      const targets = schemaTargets(r, 'selection');
      const action =
        targets.length > 0
          ? { type: 'click', clickType: 'other', target: targets[targets.length - 1] }
          : { type: 'terminate' };
      return JSON.stringify({ reasoning: 'STEP-REASONING', rationale: 'STEP-WHY', action });
    }
    default:
      return JSON.stringify(sampleFromSchema(r.schema as Record<string, unknown>, rng));
  }
}

export { observationTargets };
