import { describe, expect, it } from 'vitest';
import {
  observationTargets,
  sessionsTrainOf,
  type LlmRequest,
  type Session,
  type SessionAction,
  type SessionsDataset,
  type StepContext,
} from '../../../../harness/plugin-api.ts';
import { shopTraits } from '../../../../plugins/methods/agent4rec/shop-traits.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { sessionsDataset } from '../alignuser/session-fixtures.ts';
import { makeSim, unit } from './fixtures.ts';

const CLICK: SessionAction = { type: 'click', clickType: 'product_link', target: 'x', text: null };

function session(id: string, user: string, kinds: readonly (string | null)[]): Session {
  return {
    id,
    user,
    split: 'train',
    purchased: false,
    steps: kinds.map((k, i) => ({
      index: i,
      actionId: `${id}-${i}`,
      timestamp: i,
      url: null,
      observation: `Page ${i}`,
      action:
        k === null
          ? { type: 'terminate', clickType: null, target: null, text: null }
          : { ...CLICK, clickType: k as never },
      rationale: null,
      products: [],
    })),
  };
}

/** Step i of a session as the next-action task builds it, with each earlier step's reason replaced by `reasons[k]`. */
function stepOf(d: SessionsDataset, s: Session, i: number, reasons: readonly string[] = []): StepContext {
  const persona = d.users.find((u) => u.id === s.user)!;
  const history = s.steps.slice(0, i).map((st, k) => ({
    observation: st.observation,
    action: st.action,
    rationale: reasons[k] ?? st.rationale,
  }));
  return { persona, sessionId: s.id, stepIndex: i, history, observation: s.steps[i]!.observation };
}

/** Replies by call: markers in the taste and each reflection; the step clicks the page's last element. */
function reply(r: LlmRequest, n: number): string {
  switch (r.schemaName) {
    case 'shop_taste':
      return JSON.stringify({ taste: 'TASTE-MARKER: sturdy, well-reviewed gear', shoppingHabit: 'HABIT-MARKER' });
    case 'shop_reflection':
      return JSON.stringify({ verdict: 'unsatisfied', reason: `REFLECTION-${n}` });
    case 'shop_step': {
      const click = ((r.schema as any).properties.action.anyOf as any[]).find(
        (a) => a.properties.type.const === 'click',
      );
      const targets: string[] = click ? click.properties.target.enum : [];
      return JSON.stringify({
        aligned: [],
        feeling: 'fine',
        rationale: 'STEP-WHY',
        action: targets.length
          ? { type: 'click', clickType: 'other', target: targets[targets.length - 1] }
          : { type: 'terminate' },
      });
    }
    default:
      throw new Error(`unexpected call ${r.schemaName}`);
  }
}

const named = (requests: readonly LlmRequest[], name: string) => requests.filter((r) => r.schemaName === name);

describe('agent4rec traits from training sessions', () => {
  it('levels activity by steps per session and diversity by kinds of step, with the paper percentile cuts; shoppers without sessions have none', () => {
    const train = {
      datasetName: 'hand',
      users: [],
      sessions: [
        session('s1', 'short', ['product_link', null]),
        session('s2', 'mid', ['product_link', 'search', 'filter', null]),
        session('s3', 'long', ['product_link', 'search', 'filter', 'review', 'quantity', 'purchase', null]),
        session('s4', 'long', ['product_link', 'search', 'filter', 'review', 'product_option', 'purchase', null]),
      ],
    };
    const t = shopTraits(train);
    expect(t.get('short')?.traits.activity).toBe(1);
    expect(t.get('long')?.traits.activity).toBe(3);
    expect(t.get('short')?.traits.diversity).toBe(1);
    expect(t.get('long')?.traits.diversity).toBe(3);
    expect(t.get('long')?.sessions).toBe(2);
    expect(t.get('long')?.values.activity).toBe(7);
    expect(t.has('nobody')).toBe(false);
  });
});

describe('agent4rec nextAction with a scripted LLM', () => {
  it('puts traits, the taste, memories of earlier steps and a due reflection into the step prompt; acts on the reply', async () => {
    const d = await sessionsDataset();
    const s = d.sessions.find((x) => x.steps.length >= 5)!;
    const sim = await makeSim({ retrieveK: 10 });
    await sim.fitSessions!(sessionsTrainOf(d), undefined as never);
    const llm = scriptedLlm(reply);
    const step = stepOf(d, s, 3, ['RATIONALE-ONE', 'RATIONALE-TWO', 'RATIONALE-THREE']);
    const out = await sim.nextAction!(step, unit(llm.llm));

    const targets = observationTargets(step.observation);
    expect(out).toEqual({
      action: { type: 'click', clickType: 'other', target: targets[targets.length - 1], text: null },
      rationale: 'STEP-WHY',
    });
    // Two memories a step (the action, the reason): importance 4 > 3 after two steps, so one reflection before step 3.
    expect(llm.requests.map((r) => r.schemaName)).toEqual(['shop_taste', 'shop_reflection', 'shop_step']);
    const [taste, reflection, decision] = llm.requests as [LlmRequest, LlmRequest, LlmRequest];
    expect(promptText(taste)).toContain(step.persona.persona.trim());
    expect(promptText(taste)).toContain(String(Object.values(step.persona.attributes)[0]));
    expect(promptText(reflection)).toContain('RATIONALE-TWO');
    expect(promptText(reflection)).not.toContain('RATIONALE-THREE');
    const text = promptText(decision);
    expect(text).toContain('TASTE-MARKER');
    expect(text).toContain('HABIT-MARKER');
    expect(text).toMatch(/Your social traits, from your \d+ earlier shopping sessions?:/);
    for (const m of ['RATIONALE-ONE', 'RATIONALE-TWO', 'RATIONALE-THREE', 'REFLECTION-1']) expect(text).toContain(m);
    expect(text).toContain(step.observation);
  });

  it('retrieves the memories that match the page; a reflection and the taste are made once for all steps of a unit', async () => {
    const d = await sessionsDataset();
    const s = d.sessions.find((x) => x.steps.length >= 5)!;
    const sim = await makeSim({ retrieveK: 4 });
    await sim.fitSessions!(sessionsTrainOf(d), undefined as never);
    const title = s.steps[4]!.observation.split('\n', 1)[0]!.replace(/^Page:\s*/, '');
    const reasons = ['zebra quokka', `I came for ${title}, ${title}`, 'zebra quokka', 'zebra quokka'];
    const llm = scriptedLlm(reply);
    await Promise.all([3, 4].map((i) => sim.nextAction!(stepOf(d, s, i, reasons), unit(llm.llm))));
    // Step 3 needs the reflection before it, step 4 that one and the next: two reflections, not three.
    expect(named(llm.requests, 'shop_taste')).toHaveLength(1);
    expect(named(llm.requests, 'shop_reflection')).toHaveLength(2);
    const last = named(llm.requests, 'shop_step').find((r) => promptText(r).includes(s.steps[4]!.observation))!;
    expect(promptText(last)).toContain(`you thought "I came for ${title}, ${title}"`);
    // Four memories are shown, and never those that share no word with the page.
    const memories = promptText(last).split('What you remember of this shopping session:\n')[1]!.split('\n\n')[0]!;
    expect(memories.split('\n')).toHaveLength(4);
    expect(memories).not.toContain('zebra');
  });

  it('tells a shopper without training sessions that no traits are known', async () => {
    const d = await sessionsDataset();
    const s = d.sessions.find((x) => x.split === 'test')!;
    const sim = await makeSim();
    await sim.fitSessions!({ ...sessionsTrainOf(d), sessions: [] }, undefined as never);
    const llm = scriptedLlm(reply);
    await sim.nextAction!(stepOf(d, s, 0), unit(llm.llm));
    const text = promptText(named(llm.requests, 'shop_step')[0]!);
    expect(text).toContain('No earlier shopping sessions of yours are known');
    expect(text).toContain('None: this is the first step of your session.');
  });
});
