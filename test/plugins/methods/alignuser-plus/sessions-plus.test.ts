import { describe, expect, it } from 'vitest';
import {
  observationTargets,
  sessionsTrainOf,
  type LlmRequest,
  type PastStep,
  type Session,
  type SessionsDataset,
  type StepContext,
} from '../../../../harness/plugin-api.ts';
import { SessionMemory, SessionMemoryBook } from '../../../../plugins/methods/alignuser-plus/session-memory.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { fitContext, makePlus, tempDir, unit, userText } from '../alignuser/fixtures.ts';
import { schemaTargets, scriptedSession, sessionsDataset, SMALL_SESSIONS } from '../alignuser/session-fixtures.ts';

function stepOf(d: SessionsDataset, s: Session, i: number): StepContext {
  const past: PastStep[] = s.steps.map((st) => ({
    observation: st.observation,
    action: st.action,
    rationale: st.rationale,
  }));
  return {
    persona: d.users.find((u) => u.id === s.user)!,
    sessionId: s.id,
    stepIndex: i,
    history: past.slice(0, i),
    observation: s.steps[i]!.observation,
  };
}

/** Scripted replies for the plus calls: fixed memory queries and a validation that keeps or changes the action to the page's first element. */
function plusSessionScript(opts: { verdict?: 'keep' | 'change'; queries?: string[] } = {}) {
  return (r: LlmRequest, n: number): string => {
    if (r.schemaName === 'memory_queries')
      return JSON.stringify({ queries: opts.queries ?? ['searched bought', 'Age'] });
    if (r.schemaName === 'action_validation') {
      const first = schemaTargets(r, 'validation')[0];
      return JSON.stringify({
        checks: [
          { question: 'Q1: did I come for this?', answer: 'A1: yes' },
          { question: 'Q2: do I compare before buying?', answer: 'A2: often' },
        ],
        verdict: opts.verdict ?? 'keep',
        reason: 'REVISED-REASON',
        action: first ? { type: 'click', clickType: 'nav_bar', target: first } : { type: 'terminate' },
      });
    }
    return scriptedSession(r, n);
  };
}

describe('alignuser-plus session memory', () => {
  it("holds the shopper's training sessions, the products they acted on, their habits and survey answers", async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const user = d.users[0]!;
    const mine = train.sessions.filter((s) => s.user === user.id);
    expect(mine.length).toBeGreaterThan(0);
    const memory = new SessionMemoryBook(train).of(user);
    const products = new Set(mine.flatMap((s) => s.steps.flatMap((st) => st.products.map((p) => p.asin || p.title))));
    expect(memory.size).toBe(mine.length + products.size + 1 + Object.keys(user.attributes).length);
    const sessions = memory
      .retrieve(['earlier session searched'], 20, 50)
      .filter((e) => e.startsWith('Earlier session'));
    expect(sessions).toHaveLength(mine.length);
    const searched = mine.flatMap((s) =>
      s.steps.filter((st) => st.action.type === 'input').map((st) => st.action.text),
    );
    for (const q of searched) expect(sessions.some((e) => e.includes(`"${q}"`))).toBe(true);
    expect(memory.retrieve(['habits'], 1, 1)[0]).toMatch(
      new RegExp(`^Your habits over ${mine.length} earlier sessions: you bought in \\d+ of them`),
    );
    // No test session reaches the memory: their searches are not there unless a train session made the same one.
    const testOnly = d.sessions
      .filter((s) => s.user === user.id && s.split === 'test')
      .flatMap((s) => s.steps.filter((st) => st.action.type === 'input').map((st) => st.action.text ?? ''));
    for (const q of testOnly.filter((t) => !searched.includes(t)))
      expect(sessions.some((e) => e.includes(`"${q}"`))).toBe(false);
    expect(new SessionMemory({ id: 'nobody', attributes: {}, persona: '' }, []).size).toBe(0);
  });
});

describe('alignuser-plus next action', () => {
  it('queries its memory, puts the evidence and the fit lessons into selection, then validates the action without evidence (three calls)', async () => {
    const d = await sessionsDataset();
    const s = scriptedLlm(plusSessionScript());
    const sim = await makePlus(SMALL_SESSIONS);
    await sim.fitSessions!(sessionsTrainOf(d), fitContext(s.llm, tempDir('plus-sessions')));
    const before = s.requests.length;
    const session = d.sessions.find((x) => x.split === 'test')!;
    const step = stepOf(d, session, 1);
    const out = await sim.nextAction!(step, unit(s.llm));
    const calls = s.requests.slice(before);
    expect(calls.map((r) => r.schemaName)).toEqual(['memory_queries', 'next_action_selection', 'action_validation']);
    const [queries, select, validate] = calls as [LlmRequest, LlmRequest, LlmRequest];
    expect(userText(queries)).toContain('Write up to 3 short search queries');
    expect(userText(queries)).toContain(step.observation);

    const sel = userText(select);
    expect(sel).toContain('What your memory says (searched for: "searched bought"; "Age"):');
    expect(sel).toMatch(/- Earlier session \d+ \(\d+ steps\): you searched for/);
    expect(sel).toMatch(/- Your Age: /);
    expect(sel).toMatch(/- LESSON-STEP-\d+/);

    const v = userText(validate);
    expect(v).toContain(step.observation);
    expect(v).toMatch(/The action you are about to take: click \[[^\]]+\] \(other\)\nYour reason: STEP-WHY/);
    expect(v).toContain('using only your persona, the earlier steps of this session and the current page');
    expect(v).not.toContain('What your memory says');
    expect(v).not.toContain('Lessons learned');
    expect((validate.schema as any).properties.checks).toMatchObject({ minItems: 2, maxItems: 4 });
    // The final action is bound to the page like the selection's.
    expect(schemaTargets(validate, 'validation')).toEqual(observationTargets(step.observation));
    // keep: the selected action stands
    expect(out.rationale).toBe('STEP-WHY');
    expect(out.action.target).toBe(observationTargets(step.observation).at(-1));
  });

  it('changes the action when the validation says so; each addition can be switched off', async () => {
    const d = await sessionsDataset();
    const session = d.sessions.find((x) => x.split === 'test')!;
    const step = stepOf(d, session, 0);
    const change = scriptedLlm(plusSessionScript({ verdict: 'change' }));
    const out = await (await makePlus(SMALL_SESSIONS)).nextAction!(step, unit(change.llm));
    expect(out.action).toEqual({
      type: 'click',
      clickType: 'nav_bar',
      target: observationTargets(step.observation)[0],
      text: null,
    });
    expect(out.rationale).toBe('Changed after self-check: REVISED-REASON');

    const off = scriptedLlm(plusSessionScript());
    const sim = await makePlus({ ...SMALL_SESSIONS, memoryRetrieval: false, causalValidation: false });
    await sim.nextAction!(step, unit(off.llm));
    expect(off.requests.map((r) => r.schemaName)).toEqual(['next_action_selection']);
  });
});
