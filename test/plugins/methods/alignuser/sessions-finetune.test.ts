import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionsTrainOf, type UnitError, type PastStep } from '../../../../harness/plugin-api.ts';
import { SFT_FILE } from '../../../../plugins/methods/alignuser/export.ts';
import { FINE_TUNED_FILE } from '../../../../plugins/methods/alignuser/fit.ts';
import { startOpenAiServer, type OpenAiTestServer } from '../../../support/llm-servers/index.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { fitContext, makeSim, tempDir, unit, userText } from './fixtures.ts';
import { scriptedSession, sessionsDataset, SMALL_SESSIONS } from './session-fixtures.ts';

const KEY = 'sk-alignuser-sessions-ft-test';
const ENV = 'ALIGNUSER_SESSIONS_FT_TEST_KEY';

describe('alignuser openai-finetune backend on sessions', () => {
  let server: OpenAiTestServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: KEY, fineTunePolls: 2 });
    process.env[ENV] = KEY;
  });
  afterAll(async () => {
    delete process.env[ENV];
    await server.close();
  });

  it('trains on the session SFT file; inference then needs the fine-tuned model, which runs without retrieval', async () => {
    const d = await sessionsDataset();
    const train = sessionsTrainOf(d);
    const dir = tempDir('sessions-ft');
    const ft = () =>
      makeSim({ ...SMALL_SESSIONS, training: 'openai-finetune', baseURL: server.baseURL, apiKeyEnv: ENV, pollMs: 5 });
    const s = scriptedLlm((r, n) => scriptedSession(r, n));
    const sim = await ft();
    await sim.fitSessions!(train, fitContext(s.llm, dir));
    const job = server.requests[1]!.body as { training_file: string };
    expect(server.fileContent(job.training_file)?.toString('utf8')).toBe(
      readFileSync(join(dir, 'out', SFT_FILE), 'utf8'),
    );
    const record = JSON.parse(readFileSync(join(dir, 'out', FINE_TUNED_FILE), 'utf8')) as { model: string };

    const session = d.sessions.find((x) => x.split === 'test')!;
    const past: PastStep[] = session.steps.map((st) => ({
      observation: st.observation,
      action: st.action,
      rationale: st.rationale,
    }));
    const step = {
      persona: d.users.find((u) => u.id === session.user)!,
      sessionId: session.id,
      stepIndex: 1,
      history: past.slice(0, 1),
      observation: session.steps[1]!.observation,
    };
    const err = await sim.nextAction!(step, unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('method');
    expect((err as Error).message).toContain(`--set llm.model=${record.model}`);

    const before = server.requests.length;
    const tuned = scriptedLlm((r, n) => scriptedSession(r, n));
    const tunedLlm = { ...tuned.llm, model: record.model };
    const sim2 = await ft();
    await sim2.fitSessions!(train, fitContext(tunedLlm, dir));
    expect(tuned.requests).toHaveLength(0);
    expect(server.requests.length).toBe(before);
    await sim2.nextAction!(step, unit(tunedLlm));
    expect(tuned.requests.map((r) => r.schemaName)).toEqual(['next_action_selection']);
    expect(userText(tuned.requests[0]!)).not.toContain('Lessons learned');
  });
});
