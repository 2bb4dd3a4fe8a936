import { describe, expect, it } from 'vitest';
import { LlmParseError, type Item } from '../../../../harness/plugin-api.ts';
import {
  interviewPrompt,
  satisfactionInterview,
  INTERVIEW_SCHEMA,
} from '../../../../plugins/methods/agent4rec/interview.ts';
import { Agent4RecMemory } from '../../../../plugins/methods/agent4rec/memory.ts';
import { profileText } from '../../../../plugins/methods/agent4rec/profile.ts';
import { BrowsingSession, type SessionDeps } from '../../../../plugins/methods/agent4rec/session.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { renderTemplate } from '../../../../harness/plugin-api.ts';
import { CANDIDATES, defaultReply, lastUser, prompts, systemOf } from './fixtures.ts';

const SYSTEM = renderTemplate(prompts.system, {
  profile: profileText({
    userId: 'u',
    traits: { activity: 1, conformity: 3, diversity: 2 },
    values: { activity: 6, diversity: 3, conformity: 1.2 },
    taste: { taste: 'TASTE: starships', ratingHabit: 'HABIT: strict' },
  }),
});
const settings = { temperature: 0, maxTokens: 400 };
const deps: SessionDeps = {
  prompts,
  settings,
  system: SYSTEM,
  memory: { retrieveK: 5, reflectionThreshold: 3 },
  meanOf: null,
  scale: { min: 1, max: 5, step: 1 },
  littleTiredAfter: 2,
  veryTiredAfter: 4,
};
const page = (from: number) =>
  CANDIDATES.slice(from, from + 4).map((item: Item, k) => ({ code: `i${from + k + 1}`, item }));

describe('satisfaction interview', () => {
  it('the prompt carries the whole session memory, the pages browsed and the exit', () => {
    const m = new Agent4RecMemory({ retrieveK: 5, reflectionThreshold: 3 });
    m.add('factual', 'FACT-1');
    m.add('emotional', 'EMOTION-1');
    const text = interviewPrompt(prompts.interview, { memories: m.entries, pagesSeen: 3, exitPage: 3 });
    expect(text).toContain('- FACT-1\n- EMOTION-1');
    expect(text).toContain('You browsed 3 page(s).');
    expect(text).toContain('You chose to leave after page 3.');
    expect(text).toContain('from 1 to 10');
    expect(interviewPrompt(prompts.interview, { memories: [], pagesSeen: 5, exitPage: null })).toContain(
      'did not choose to leave',
    );
  });

  it('parses a 1–10 satisfaction and an explanation, with the profile as system prompt', async () => {
    const s = scriptedLlm(() => JSON.stringify({ satisfaction: 3, explanation: ' Too many comedies. ' }));
    const a = await satisfactionInterview({ memories: [], pagesSeen: 1, exitPage: 1 }, s.llm, {
      prompts,
      settings,
      system: SYSTEM,
    });
    expect(a).toEqual({ satisfaction: 3, explanation: 'Too many comedies.' });
    expect(systemOf(s.requests[0]!)).toContain('TASTE: starships');
    expect(s.requests[0]?.schema).toEqual(INTERVIEW_SCHEMA);
  });

  it('a satisfaction outside 1–10 is repaired once, then LlmParseError', async () => {
    const s = scriptedLlm(() => JSON.stringify({ satisfaction: 11, explanation: 'x' }));
    await expect(
      satisfactionInterview({ memories: [], pagesSeen: 1, exitPage: null }, s.llm, {
        prompts,
        settings,
        system: SYSTEM,
      }),
    ).rejects.toBeInstanceOf(LlmParseError);
    expect(s.requests).toHaveLength(2);
    expect(promptText(s.requests[1]!)).toContain('must be <= 10');
  });
});

describe('browsing session state', () => {
  it('records the exit page, runs a due reflection before the interview, and keeps the answer', async () => {
    const s = scriptedLlm((r, n) =>
      defaultReply(r, n, { decision: (k) => (k === 1 ? 'exit' : 'next'), satisfaction: 4 }),
    );
    const session = new BrowsingSession(deps);
    await session.browse(page(0), s.llm);
    await session.browse(page(4), s.llm);
    expect(session.exitPage).toBe(2);
    expect(session.memory.entries.at(-1)?.text).toContain('wanted to leave');
    const answer = await session.interview(s.llm);
    expect(answer.satisfaction).toBe(4);
    expect(session.interviewAnswer).toEqual(answer);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'recommendation_page',
      'recommendation_page',
      'satisfaction_reflection',
      'satisfaction_interview',
    ]);
    const interview = lastUser(s.requests[3]!);
    expect(interview).toContain('Page 1 recommended');
    expect(interview).toContain('Looking back on the recommendations so far');
    expect(interview).toContain('You chose to leave after page 2.');
    expect(session.reflections).toHaveLength(1);
    expect(session.pages.map((p) => p.decision)).toEqual(['next', 'exit']);
  });

  it('a watch on an item that does not align is read as not watched', async () => {
    const s = scriptedLlm((r) =>
      r.schemaName === 'recommendation_page'
        ? JSON.stringify({
            items: Object.fromEntries(
              ['i1', 'i2', 'i3', 'i4'].map((c) => [
                c,
                { align: c === 'i1', reason: 'r', watch: true, rating: 5, feeling: 'f' },
              ]),
            ),
            feeling: 'negative',
            feelingReason: 'meh',
            fatigue: 'very tired',
            decision: 'exit',
          })
        : '{}',
    );
    const session = new BrowsingSession(deps);
    const r = await session.browse(page(0), s.llm);
    expect(r.items.get('i1')).toEqual({ align: true, reason: 'r', watch: true, rating: 5, feeling: 'f' });
    expect(r.items.get('i2')).toEqual({ align: false, reason: 'r', watch: false, rating: null, feeling: '' });
    expect(session.memory.entries[0]?.text).toContain(
      'I watched Candidate 1 (rated 5). Not to my taste: Candidate 2, Candidate 3, Candidate 4.',
    );
  });
});
