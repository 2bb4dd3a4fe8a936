import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { nextAction as nextActionTask } from '../../../../plugins/tasks/next-action/index.ts';
import {
  actionText,
  LlmParseError,
  observationTargets,
  Rng,
  sessionsTrainOf,
  UnitError,
  type LlmRequest,
  type PastStep,
  type Session,
  type SessionsDataset,
  type StepContext,
} from '../../../../harness/plugin-api.ts';
import { SFT_FILE } from '../../../../plugins/methods/alignuser/export.ts';
import { NO_BLOCKS } from '../../../../plugins/methods/alignuser/decision.ts';
import type { AlignedStep } from '../../../../plugins/methods/alignuser/session-alignment.ts';
import { SessionWorldModelDemos } from '../../../../plugins/methods/alignuser/world-model-demos.ts';
import { selectionSchema, SessionRequests } from '../../../../plugins/methods/alignuser/session-decision.ts';
import {
  buildSessionTransitions,
  pageSummary,
  replyOf,
  sameStepAction,
} from '../../../../plugins/methods/alignuser/session-steps.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  fitContext,
  makeLog,
  makePlus,
  makeSim,
  offlineLlm,
  options,
  prompts,
  tempDir,
  unit,
  userText,
} from './fixtures.ts';
import { currentPage, scriptedSession, sessionsDataset, SMALL_SESSIONS } from './session-fixtures.ts';

const bySchema = (requests: readonly LlmRequest[], name: string) => requests.filter((r) => r.schemaName === name);
const FIT_CALLS = ['session_counterfactuals', 'session_world_model', 'session_reflection', 'session_policy_thought'];

/** The StepContext the next-action task builds for step i of a session. */
function stepOf(d: SessionsDataset, s: Session, i: number): StepContext {
  const past: PastStep[] = s.steps.map((st) => ({
    observation: st.observation,
    action: st.action,
    rationale: st.rationale,
  }));
  const persona = d.users.find((u) => u.id === s.user)!;
  return { persona, sessionId: s.id, stepIndex: i, history: past.slice(0, i), observation: s.steps[i]!.observation };
}

const testSessions = (d: SessionsDataset) => d.sessions.filter((s) => s.split === 'test' && s.steps.length > 0);
const fitted = (sim: unknown) =>
  (sim as { sessionFitted: { data: { aligned: any[] } | null; bank: unknown } }).sessionFitted;

describe('alignuser session transitions', () => {
  it('samples fitSessions train sessions (every step a transition) and stepsPerSession aligned steps each, as a pure function of the seed', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const o = options(SMALL_SESSIONS);
    const ts = buildSessionTransitions(train, o, new Rng(5));
    const trainIds = new Set(train.sessions.map((s) => s.id));
    const sessions = [...new Set(ts.map((t) => t.step.sessionId))];
    expect(sessions).toHaveLength(4);
    for (const id of sessions) {
      expect(trainIds.has(id)).toBe(true);
      const s = train.sessions.find((x) => x.id === id)!;
      const mine = ts.filter((t) => t.step.sessionId === id);
      expect(mine).toHaveLength(s.steps.length);
      expect(mine.filter((t) => t.aligned)).toHaveLength(Math.min(2, s.steps.length));
      mine.forEach((t, i) => {
        expect(t.step.stepIndex).toBe(i);
        expect(t.step.history).toHaveLength(i);
        expect(t.action).toEqual(s.steps[i]!.action);
        expect(t.nextState).toEqual(
          i + 1 < s.steps.length
            ? pageSummary(s.steps[i + 1]!.observation)
            : expect.stringMatching(/^The shopper leaves the shop/),
        );
      });
    }
    expect(buildSessionTransitions(train, o, new Rng(5))).toEqual(ts);
    expect(buildSessionTransitions(train, o, new Rng(6))).not.toEqual(ts);
  });

  it('summarises a page by its lines before the element list and the element count', () => {
    const obs =
      'Page: Cart\nURL: https://x/cart\nProducts (1):\n  1. Socks — $3\nInteractive elements (2):\n  [a] button "A"\n  [b] button "B"';
    expect(pageSummary(obs)).toBe(
      'Page: Cart\nURL: https://x/cart\nProducts (1):\n  1. Socks — $3\n(2 interactive elements)',
    );
  });
});

describe('alignuser fit on sessions with a scripted LLM', () => {
  it('builds transitions from train sessions only; its prompts carry the human action, the alternatives and their outcomes, and the lessons', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const s = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim = await makeSim(SMALL_SESSIONS);
    const { log, lines } = makeLog();
    await sim.fitSessions!(train, fitContext(s.llm, tempDir('sessions-fit'), log));
    const data = fitted(sim).data!;
    expect(data.aligned).toHaveLength(8);
    // Every aligned step comes from a train session; no test session is ever shown to fit.
    const trainIds = new Set(train.sessions.map((x) => x.id));
    for (const a of data.aligned) expect(trainIds.has(a.id.split('#')[0])).toBe(true);
    const testObservations = testSessions(d)
      .flatMap((x) => x.steps.map((st) => st.observation))
      .filter((o) => !train.sessions.some((t) => t.steps.some((st) => st.observation === o)));
    expect(testObservations.length).toBeGreaterThan(0);
    for (const r of s.requests) for (const o of testObservations) expect(userText(r).includes(o)).toBe(false);

    // Per aligned step: proposals, outcomes, reflection, policy (the scripted alternatives always differ from the human action here or are dropped).
    expect(bySchema(s.requests, 'session_counterfactuals')).toHaveLength(8);
    expect(bySchema(s.requests, 'session_policy_thought')).toHaveLength(8);
    expect(s.requests.length).toBeLessThanOrEqual(4 * 8);
    expect(s.requests.every((r) => FIT_CALLS.includes(r.schemaName as string))).toBe(true);

    const steps = new Map(
      buildSessionTransitions(train, options(SMALL_SESSIONS), fitContext(null, tempDir('x')).rng).map((t) => [t.id, t]),
    );
    for (const r of bySchema(s.requests, 'session_counterfactuals')) {
      const text = userText(r);
      expect(text).toContain('Persona:');
      expect(text).toContain('Current page:');
      expect(text).toMatch(/What they actually did next: (click \[[^\]]+\]|input \[[^\]]+\] "|terminate)/);
      expect(text).toContain('Propose 2 other actions');
      expect(r.temperature).toBe(0.8);
      // valid: the schema admits only elements of the current page
      const page = currentPage(r);
      const alt = (r.schema as any).properties.alternatives.items.properties.action.anyOf as any[];
      const click = alt.find((a) => a.properties.type.const === 'click');
      if (click) expect(click.properties.target.enum).toEqual(observationTargets(page));
    }
    for (const r of bySchema(s.requests, 'session_world_model')) {
      const text = userText(r);
      expect(text).toContain('You are a world model of an online shop');
      expect(text).toMatch(/1\. (terminate|click|input)/);
    }
    for (const r of bySchema(s.requests, 'session_reflection')) {
      const text = userText(r);
      expect(text).toMatch(/What the shopper actually did: (click|input|terminate)/);
      expect(text).toContain('The page that followed:');
      expect(text).toMatch(/What happened after: (Next the shopper did|Nothing: it was the last step)/);
      expect(text).toMatch(/Why a simulator proposed it: ALT-[abc]-\d+/);
      expect(text).toMatch(/Predicted next page: STEP-OUTCOME-\d+-1/);
      for (const p of ['contextual fit', 'persona alignment', 'future outcome']) expect(text).toContain(p);
    }
    for (const r of bySchema(s.requests, 'session_policy_thought'))
      expect(userText(r)).toMatch(/What they did next: .*\n\nLessons drawn[^\n]*\n(- LESSON-STEP-\d+|\(none)/);

    for (const a of data.aligned) {
      const t = steps.get(a.id)!;
      // The human action text is in the step's prompts, and no alternative equals it.
      const cf = bySchema(s.requests, 'session_counterfactuals').find(
        (r) =>
          userText(r).includes(`What they actually did next: ${actionText(t.action)}`) &&
          currentPage(r).includes(t.step.observation),
      );
      expect(cf).toBeDefined();
      for (const alt of a.alternatives) expect(sameStepAction(alt.action, t.action)).toBe(false);
      expect(a.alternatives.length + a.dropped).toBe(2);
      expect(a.policy.thought).toMatch(/^STEP-THOUGHT-/);
      if (a.alternatives.length > 0) {
        expect(a.reflection.lesson).toMatch(/^LESSON-STEP-/);
        expect(a.alternatives[0].outcome).toMatch(/^STEP-OUTCOME-/);
      } else expect(a.reflection).toBeNull();
    }
    expect(lines.join('\n')).toMatch(/alignuser: \d+ transitions and \d+ lessons ready for retrieval/);
  });

  it('drops alternatives equal to the human action (and skips world model and reflection when none is left)', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const s = scriptedLlm((r, n) => {
      if (r.schemaName !== 'session_counterfactuals') return scriptedSession(r, n);
      // Repeat what the prompt says the person did.
      const did = /What they actually did next: (.*)/.exec(userText(r))![1]!;
      const click = /^click \[([^\]]+)\](?: \(([a-z_]+)\))?/.exec(did);
      const input = /^input \[([^\]]+)\] "([^"]*)"/.exec(did);
      const action = click
        ? { type: 'click', clickType: 'other', target: click[1] }
        : input
          ? { type: 'input', target: input[1], text: `  ${input[2]!.toUpperCase()} ` }
          : { type: 'terminate' };
      return JSON.stringify({
        alternatives: [
          { reasoning: 'same', action },
          { reasoning: 'same again', action },
        ],
      });
    });
    const sim = await makeSim(SMALL_SESSIONS);
    await sim.fitSessions!(train, fitContext(s.llm, tempDir('sessions-drop')));
    const data = fitted(sim).data!;
    // A human target missing from the (truncated) page cannot be repeated: the schema refuses it. The synthetic pages list every target.
    for (const a of data.aligned) {
      expect(a.alternatives).toHaveLength(0);
      expect(a.dropped).toBe(2);
      expect(a.reflection).toBeNull();
    }
    expect(bySchema(s.requests, 'session_world_model')).toHaveLength(0);
    expect(bySchema(s.requests, 'session_reflection')).toHaveLength(0);
    expect(userText(bySchema(s.requests, 'session_policy_thought')[0]!)).toContain(
      '(none: the alternatives were no different)',
    );
  });

  it("puts a reflection's lesson and similar human steps into a later nextAction prompt", async () => {
    const d = await sessionsDataset();
    const s = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim = await makeSim(SMALL_SESSIONS);
    const dir = tempDir('sessions-lessons');
    await sim.fitSessions!(sessionsTrainOf(d), fitContext(s.llm, dir));
    const lessons = new Set(fitted(sim).data!.aligned.flatMap((a: any) => (a.reflection ? [a.reflection.lesson] : [])));
    expect(lessons.size).toBeGreaterThan(0);
    const before = s.requests.length;
    const session = testSessions(d)[0]!;
    const step = stepOf(d, session, Math.min(2, session.steps.length - 1));
    const out = await sim.nextAction!(step, unit(s.llm));
    const calls = s.requests.slice(before);
    expect(calls).toHaveLength(1);
    const text = userText(calls[0]!);
    expect(text).toContain("Lessons learned from comparing real shoppers' actions with a simulator's alternatives:");
    const shown = [...text.matchAll(/^- (LESSON-STEP-\d+: [^\n]+)$/gm)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    for (const l of shown) expect(lessons.has(l!)).toBe(true);
    expect(text).toContain('Similar situations in other shopping sessions and what the real shopper did:');
    expect(text).toMatch(/1\. On Page: .*, a real shopper did: (click|input|terminate)/);
    // The world model before the policy step: real next pages of similar steps, and its predictions for alternatives.
    const demos = text.slice(text.indexOf('How the service responds (world model)'));
    expect(text.indexOf('How the service responds (world model)')).toBeLessThan(text.indexOf('Lessons learned'));
    expect(demos).toMatch(/\n- On Page: [^\n]*\((first step|after [^\n]+)\): (click|input|terminate)[^\n]* → /);
    expect(fitted(sim).data!.aligned.some((a: any) => a.alternatives.length > 0)).toBe(true);
    expect(text).toContain(step.observation);
    expect(text).toContain('Earlier steps of this shopping session');
    expect(calls[0]!.messages[0]!.content).toMatch(/^You stand in for one real person shopping online/);
    // the reply: reasoning first, then rationale and action
    expect(Object.keys((calls[0]!.schema as any).properties)).toEqual(['reasoning', 'rationale', 'action']);
    expect(out.rationale).toBe('STEP-WHY');
    expect(observationTargets(step.observation)).toContain(out.action.target);

    // With every transition as a demonstration (an inference-only option: the artifacts are reused, no fit call),
    // the world model's predicted next pages of the counterfactuals are there too.
    const all = await makeSim({ ...SMALL_SESSIONS, worldModelDemos: 1000 });
    const again = scriptedLlm((r, n) => scriptedSession(r, n));
    await all.fitSessions!(sessionsTrainOf(d), fitContext(again.llm, dir));
    expect(again.requests).toHaveLength(0);
    await all.nextAction!(step, unit(again.llm));
    expect(userText(again.requests[0]!)).toMatch(/\n {2}· [^\n]+ instead: STEP-OUTCOME-\d+-\d/);
  });

  it('reuses its artifacts: a rerun makes no LLM call and sends the same nextAction prompts', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const dir = tempDir('sessions-rerun');
    const first = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim1 = await makeSim(SMALL_SESSIONS);
    await sim1.fitSessions!(train, fitContext(first.llm, dir));
    expect(first.requests.length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'artifacts')).filter((f) => !f.endsWith('.calls.json'))).toHaveLength(9); // the whole data + one per aligned step

    const second = scriptedLlm(() => {
      throw new Error('no LLM call expected');
    });
    const sim2 = await makeSim(SMALL_SESSIONS);
    const ctx = fitContext(second.llm, dir);
    await sim2.fitSessions!(train, ctx);
    expect(second.requests).toHaveLength(0);
    expect((ctx.artifacts as ArtifactStore).hits).toBe(1);
    expect((ctx.artifacts as ArtifactStore).misses).toBe(0);

    // Inference-only options keep the data; data options do not.
    const third = scriptedLlm((r, n) => scriptedSession(r, n));
    await (await makeSim({ ...SMALL_SESSIONS, retrieveLessons: 2 })).fitSessions!(train, fitContext(third.llm, dir));
    expect(third.requests).toHaveLength(0);
    await (await makeSim({ ...SMALL_SESSIONS, stepsPerSession: 1 })).fitSessions!(train, fitContext(third.llm, dir));
    expect(third.requests.length).toBeGreaterThan(0);

    const session = testSessions(d)[1]!;
    const a = scriptedLlm((r, n) => scriptedSession(r, n));
    const b = scriptedLlm((r, n) => scriptedSession(r, n));
    for (let i = 0; i < session.steps.length; i++) {
      await sim1.nextAction!(stepOf(d, session, i), unit(a.llm));
      await sim2.nextAction!(stepOf(d, session, session.steps.length - 1 - i), unit(b.llm));
    }
    // Same prompts whatever the order the steps are predicted in: no state is carried between steps.
    expect(a.requests.map(userText).sort()).toEqual(b.requests.map(userText).sort());
  });

  it('an invalid reply (a target not on the page) is repaired once, then it is a parse error', async () => {
    const d = await sessionsDataset();
    const session = testSessions(d)[0]!;
    const step = stepOf(d, session, 0);
    const bad = JSON.stringify({
      reasoning: 'r',
      rationale: 'w',
      action: { type: 'click', clickType: 'search', target: 'not.on.this.page' },
    });

    const once = scriptedLlm((r, n) =>
      r.schemaName === 'next_action_selection' && !r.messages.some((m) => /could not be used/.test(m.content))
        ? bad
        : scriptedSession(r, n),
    );
    const sim = await makeSim(SMALL_SESSIONS);
    const repaired = await sim.nextAction!(step, unit(once.llm));
    expect(once.requests).toHaveLength(2);
    expect(once.requests[1]!.messages.at(-1)!.content).toMatch(/could not be used: the JSON does not match the schema/);
    expect(observationTargets(step.observation)).toContain(repaired.action.target);

    const always = scriptedLlm(() => bad);
    const err = await sim.nextAction!(step, unit(always.llm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect(always.requests).toHaveLength(2);
  });

  it('export writes the session SFT file in the inference prompts; a run whose LLM is not the trained model is a unit error', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const dir = tempDir('sessions-export');
    const s = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim = await makeSim({ ...SMALL_SESSIONS, training: 'export' });
    await sim.fitSessions!(train, fitContext(s.llm, dir));
    const lines = readFileSync(join(dir, 'out', SFT_FILE), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    const transitions = buildSessionTransitions(train, options(SMALL_SESSIONS), fitContext(null, dir).rng);
    expect(lines).toHaveLength(8 + transitions.length);
    const ajv = new Ajv({ strict: false });
    const requests = new SessionRequests(prompts as never, options(SMALL_SESSIONS));
    const selections = lines.filter((l) => l.messages[1]!.content.includes('What do you do next?'));
    expect(selections).toHaveLength(8);
    const aligned = transitions.filter((t) => t.aligned);
    // The world-model demonstrations every backend retrieves, the step itself left out.
    const data = (sim as unknown as { sessionFitted: { data: { aligned: AlignedStep[] } } }).sessionFitted.data;
    const demos = new SessionWorldModelDemos(transitions, data.aligned, options().worldModelDemos);
    const blocksOf = (x: (typeof transitions)[number]) => ({ ...NO_BLOCKS, worldModel: demos.block(x.step, x.id) });
    for (const l of selections) {
      expect(l.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(l.messages[1]!.content).not.toContain('Lessons learned');
      expect(l.messages[1]!.content).toContain('How the service responds (world model)');
      // exactly the prompt inference sends for that step (without retrieval of lessons and steps), answered with the human action
      const t = aligned.find(
        (x) => requests.select(x.step, blocksOf(x)).messages[1]!.content === l.messages[1]!.content,
      );
      expect(t).toBeDefined();
      expect(l.messages[0]!.content).toBe(requests.select(t!.step, NO_BLOCKS).messages[0]!.content);
      const answer = JSON.parse(l.messages[2]!.content) as { reasoning: string; rationale: string; action: unknown };
      expect(answer.reasoning).toMatch(/^STEP-THOUGHT-/);
      expect(answer.action).toEqual(replyOf(t!.action));
      expect(answer.rationale).toEqual(t!.rationale ?? expect.stringMatching(/^STEP-RATIONALE-/));
      expect(ajv.validate(selectionSchema(t!.step), answer), JSON.stringify(ajv.errors)).toBe(true);
    }
    const worlds = lines.filter((l) => l.messages[1]!.content.includes('You are a world model of an online shop'));
    expect(worlds).toHaveLength(transitions.length);
    for (const l of worlds) expect(JSON.parse(l.messages[2]!.content).outcomes).toHaveLength(1);

    const session = testSessions(d)[0]!;
    const err = await sim.nextAction!(stepOf(d, session, 0), unit(s.llm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnitError);
    expect((err as Error).message).toMatch(
      /alignuser \(training: export\) needs the model trained from its data, but the run's LLM is scripted/,
    );

    // With the trained model as the run's LLM: no fit call, no retrieval.
    const trained = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim2 = await makeSim({ ...SMALL_SESSIONS, training: 'export', trainedModel: 'scripted' });
    await sim2.fitSessions!(train, fitContext(trained.llm, tempDir('sessions-trained')));
    expect(trained.requests).toHaveLength(0);
    await sim2.nextAction!(stepOf(d, session, 0), unit(trained.llm));
    expect(trained.requests).toHaveLength(1);
    expect(userText(trained.requests[0]!)).not.toContain('Lessons learned');
    // The trained model gets the world model's next-state demonstrations too (built from the data, no call).
    expect(userText(trained.requests[0]!)).toContain('How the service responds (world model)');
  });
});

describe.each([
  ['alignuser', (o: object) => makeSim(o), 1],
  ['alignuser-plus', (o: object) => makePlus(o), 3],
] as const)('%s next-action on synthetic sessions with the offline mock LLM', (name, make, callsPerStep) => {
  it('fits on train sessions, then gives every step of the test sessions a valid action', async () => {
    const d = await sessionsDataset();
    const { llm, usage } = await offlineLlm();
    const sim = await make(SMALL_SESSIONS);
    await sim.fitSessions!(sessionsTrainOf(d), fitContext(llm, tempDir(`sessions-e2e-${name}`)));
    expect(usage.calls).toBeGreaterThan(0);
    expect(usage.calls).toBeLessThanOrEqual(4 * 8);

    const units =
      nextActionTask.buildUnits(d, Value.Default(nextActionTask.options, { sessions: 2 }) as never, new Rng(1)) ?? [];
    expect(units).toHaveLength(2);
    const done = [];
    for (const u of units) {
      const session = d.sessions.find((s) => s.id === u.key)!;
      const persona = d.users.find((p) => p.id === session.user)!;
      const before = usage.calls;
      const answer = await nextActionTask.run(sim, persona, session, unit(llm));
      expect(usage.calls - before).toBe(callsPerStep * session.steps.length);
      expect(answer.steps).toHaveLength(session.steps.length);
      answer.steps.forEach((p, i) => {
        const a = p.action;
        if (a.type !== 'terminate') expect(observationTargets(session.steps[i]!.observation)).toContain(a.target);
        expect(typeof p.rationale).toBe('string');
      });
      done.push({ id: u.key, unit: u, answer, scores: nextActionTask.score(u, answer) });
    }
    const metrics = nextActionTask.aggregate(done, Value.Default(nextActionTask.options, { sessions: 2 }) as never);
    for (const m of Object.values(metrics)) if (Number.isFinite(m.value)) expect(m.value).toBeGreaterThanOrEqual(0);
  });
});
