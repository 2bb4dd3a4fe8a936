import { describe, expect, it } from 'vitest';
import {
  observationTargets,
  Rng,
  sessionsTrainOf,
  type LlmRequest,
  type PersonaRecord,
  type Session,
  type SessionsDataset,
  type StepContext,
  type UnitContext,
} from '../../../../harness/plugin-api.ts';
import { surveyProbes } from '../../../../plugins/methods/simuser/shop-persona.ts';
import { sessionEpisode } from '../../../../plugins/methods/simuser/shop-session.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { sessionsDataset } from '../alignuser/session-fixtures.ts';
import { makeSim, persona } from './fixtures.ts';

const unit = (llm: UnitContext['llm']): UnitContext => ({ rng: new Rng(1), llm, signal: new AbortController().signal });

function stepOf(d: SessionsDataset, s: Session, i: number, reasons: readonly string[] = []): StepContext {
  const p = d.users.find((u) => u.id === s.user)!;
  const history = s.steps.slice(0, i).map((st, k) => ({
    observation: st.observation,
    action: st.action,
    rationale: reasons[k] ?? st.rationale,
  }));
  return { persona: p, sessionId: s.id, stepIndex: i, history, observation: s.steps[i]!.observation };
}

const lastTarget = (r: LlmRequest): string | null => {
  const click = ((r.schema as any).properties.action.anyOf as any[]).find((a) => a.properties.type.const === 'click');
  const targets: string[] = click ? click.properties.target.enum : [];
  return targets.at(-1) ?? null;
};

/**
 * Replies by call: candidate OCC-3 says its own survey answers are surely its
 * own and the others' surely not; every other candidate says 3 to all. The
 * selection terminates; the refinement clicks the page's last element.
 */
function script(me: PersonaRecord) {
  return (r: LlmRequest): string => {
    switch (r.schemaName) {
      case 'shopper_summary':
        return JSON.stringify({ summary: 'SUMMARY-MARKER' });
      case 'shopper_persona_candidates':
        return JSON.stringify({
          personas: Array.from({ length: (r.schema as any).properties.personas.minItems }, (_, k) =>
            persona(`OCC-${k + 1}`),
          ),
        });
      case 'shopper_persona_fit': {
        const text = promptText(r);
        const picky = text.includes('OCC-3');
        const out: Record<string, number> = {};
        for (const m of text.matchAll(/^(a\d+): (.+): (.+)$/gm)) {
          const own = String(me.attributes[m[2] as string]) === m[3];
          out[m[1] as string] = picky ? (own ? 5 : 1) : 3;
        }
        return JSON.stringify(out);
      }
      case 'shopping_preferences':
        return JSON.stringify({ likes: ['LIKE-MARKER'], dislikes: ['DISLIKE-MARKER'], summary: 'PREF-SUMMARY' });
      case 'shop_action_selection':
        return JSON.stringify({
          perception: 'I see a page',
          reasoning: 'REASONING',
          rationale: 'SELECT-WHY',
          action: { type: 'terminate' },
        });
      case 'shop_action_refinement': {
        const t = lastTarget(r);
        return JSON.stringify({
          check: 'leaving now would be early',
          rationale: 'REFINED-WHY',
          action: t ? { type: 'click', clickType: 'other', target: t } : { type: 'terminate' },
        });
      }
      default:
        throw new Error(`unexpected call ${r.schemaName}`);
    }
  };
}

describe('simuser persona matching on survey answers', () => {
  it("probes the shopper's own answers and other shoppers' different answers to the same questions, by seed", async () => {
    const d = await sessionsDataset();
    const me = d.users[0]!;
    const probes = surveyProbes(me, d.users, { ownItems: 4, otherItems: 4 }, new Rng(3));
    expect(probes.filter((p) => p.own)).toHaveLength(4);
    expect(probes.filter((p) => !p.own)).toHaveLength(4);
    for (const p of probes) {
      expect(p.question in me.attributes).toBe(true);
      expect(String(me.attributes[p.question]) === p.answer).toBe(p.own);
    }
    expect(surveyProbes(me, d.users, { ownItems: 4, otherItems: 4 }, new Rng(3))).toEqual(probes);
    expect(surveyProbes(me, [], { ownItems: 4, otherItems: 4 }, new Rng(3)).every((p) => p.own)).toBe(true);
  });
});

describe('simuser nextAction with a scripted LLM', () => {
  it('feeds the matched persona, its preferences, an earlier session and this session into action selection; refinement decides', async () => {
    const d = await sessionsDataset();
    const s = d.sessions.find(
      (x) => x.steps.length >= 4 && d.sessions.some((y) => y.user === x.user && y.id !== x.id),
    )!;
    const train = sessionsTrainOf(d);
    const sim = await makeSim();
    await sim.fitSessions!(train, undefined as never);
    const step = stepOf(d, s, 3, ['RATIONALE-ONE', 'RATIONALE-TWO', 'RATIONALE-THREE']);
    const llm = scriptedLlm(script(step.persona));
    const out = await sim.nextAction!(step, unit(llm.llm));

    const targets = observationTargets(step.observation);
    expect(out).toEqual({
      action: { type: 'click', clickType: 'other', target: targets.at(-1), text: null },
      rationale: 'REFINED-WHY',
    });
    // Per shopper: summary, proposal, 5 scorings, elicitation; per step: selection and one refinement.
    expect(llm.requests.map((r) => r.schemaName)).toEqual([
      'shopper_summary',
      'shopper_persona_candidates',
      ...Array(5).fill('shopper_persona_fit'),
      'shopping_preferences',
      'shop_action_selection',
      'shop_action_refinement',
    ]);
    const summary = promptText(llm.requests[0]!);
    expect(summary).toContain(step.persona.persona.trim());
    expect(summary).toContain(String(Object.values(step.persona.attributes)[0]));
    const select = promptText(llm.requests.find((r) => r.schemaName === 'shop_action_selection')!);
    expect(select).toContain('OCC-3');
    expect(select).not.toContain('OCC-1');
    for (const m of ['LIKE-MARKER', 'DISLIKE-MARKER', 'PREF-SUMMARY', 'RATIONALE-ONE', 'RATIONALE-THREE'])
      expect(select).toContain(m);
    // memoryTopK (2) earlier sessions come back when the shopper has any in training.
    const earlier = train.sessions.filter((x) => x.user === s.user && x.steps.length > 0);
    expect(earlier.length).toBeGreaterThan(0);
    const shown = earlier.map((x, k) => sessionEpisode(x, k + 1)).filter((e) => select.includes(e));
    expect(shown.length).toBe(Math.min(2, earlier.length));
    const refine = promptText(llm.requests.find((r) => r.schemaName === 'shop_action_refinement')!);
    expect(refine).toContain('You were about to do: terminate');
    expect(refine).toContain('Because: SELECT-WHY');

    // A later step of the same shopper reuses the persona and the preferences: two more calls.
    await sim.nextAction!(stepOf(d, s, 2), unit(llm.llm));
    expect(llm.requests).toHaveLength(12);
  });

  it('with refinementRounds 0 the selection is the answer; without others to contrast, candidates are still scored', async () => {
    const d = await sessionsDataset();
    const s = d.sessions.find((x) => x.steps.length >= 2)!;
    const sim = await makeSim({ refinementRounds: 0 });
    await sim.fitSessions!({ ...sessionsTrainOf(d), users: [], sessions: [] }, undefined as never);
    const step = stepOf(d, s, 1);
    const llm = scriptedLlm(script(step.persona));
    const out = await sim.nextAction!(step, unit(llm.llm));
    expect(out).toEqual({
      action: { type: 'terminate', clickType: null, target: null, text: null },
      rationale: 'SELECT-WHY',
    });
    expect(llm.requests.filter((r) => r.schemaName === 'shopper_persona_fit')).toHaveLength(5);
    const select = promptText(llm.requests.at(-1)!);
    expect(select).toContain('OCC-3');
    expect(select).toContain('What you remember of your earlier shopping sessions that bears on this page:\n(none)');
  });
});
