import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import OpenAI, { toFile } from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, type UnitError } from '../../../../harness/plugin-api.ts';
import { SFT_FILE } from '../../../../plugins/methods/alignuser/export.ts';
import { FINE_TUNED_FILE } from '../../../../plugins/methods/alignuser/fit.ts';
import { startOpenAiServer, type OpenAiTestServer } from '../../../support/llm-servers/index.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { fitContext, ITEMS, makeLog, makeSim, scripted, tempDir, train, unit, userText, userView } from './fixtures.ts';

// Random-looking, as a real key is: the redactor hides any 8-character piece of it, so a key spelling "alignuser" would hide the model's name.
const KEY = 'sk-ft-5c91e07d2a4b';
const ENV = 'ALIGNUSER_FT_TEST_KEY';

describe('alignuser openai-finetune backend against the local OpenAI server', () => {
  let server: OpenAiTestServer;
  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: KEY, fineTunePolls: 3 });
    process.env[ENV] = KEY;
  });
  afterAll(async () => {
    delete process.env[ENV];
    await server.close();
  });

  const ft = (o: Record<string, unknown> = {}) =>
    makeSim({ training: 'openai-finetune', baseURL: server.baseURL, apiKeyEnv: ENV, pollMs: 5, ...o });

  it('uploads the SFT file, runs a job, polls it to success, records the model and says how to use it', async () => {
    server.reset();
    const dir = tempDir('ft');
    const s = scriptedLlm((r, n) => scripted(r, n));
    const { log, lines } = makeLog();
    const sim = await ft();
    const ctx = fitContext(s.llm, dir, log);
    await sim.fit!(train(), ctx);

    const calls = server.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls[0]).toBe('POST /v1/files');
    expect(calls[1]).toBe('POST /v1/fine_tuning/jobs');
    const polls = calls.slice(2);
    expect(polls.length).toBe(3);
    expect(polls.every((c) => /^GET \/v1\/fine_tuning\/jobs\/ftjob-/.test(c))).toBe(true);
    expect(server.requests.every((r) => r.headers['authorization'] === 'present' && r.status === 200)).toBe(true);

    const upload = server.requests[0]!.body as { fields: Record<string, string>; files: { filename: string }[] };
    expect(upload.fields['purpose']).toBe('fine-tune');
    const job = server.requests[1]!.body as { model: string; training_file: string; suffix: string };
    expect(job.model).toBe('gpt-4.1-mini-2025-04-14');
    expect(job.suffix).toBe('alignuser');
    // what was uploaded is exactly the SFT file written for the user
    expect(server.fileContent(job.training_file)?.toString('utf8')).toBe(
      readFileSync(join(dir, 'out', SFT_FILE), 'utf8'),
    );

    const record = JSON.parse(readFileSync(join(dir, 'out', FINE_TUNED_FILE), 'utf8'));
    expect(record.model).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:usersim:alignuser:/);
    expect(record.jobId).toMatch(/^ftjob-/);
    expect(record.llm).toEqual({ plugin: 'openai', model: record.model, baseURL: server.baseURL, apiKeyEnv: ENV });
    expect(existsSync(join(dir, 'out', 'fine-tune-pending.json'))).toBe(false);
    const all = lines.join('\n');
    expect(all).toContain(`fine-tuned model ${record.model} is ready`);
    expect(all).toContain(`--set llm.model=${record.model}`);
    expect(all).toContain('succeeded');

    // this run's LLM is the base model: its units say so instead of reporting an untrained model
    const err = await sim.discriminate!(userView('u1'), ITEMS.slice(0, 3), unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('method');
    expect((err as Error).message).toContain(`--set llm.model=${record.model}`);

    // rerun on the same store with the base model: no LLM call, no new job
    const before = server.requests.length;
    const again = scriptedLlm(() => {
      throw new Error('no LLM call expected');
    });
    await (await ft()).fit!(train(), fitContext(again.llm, dir));
    expect(again.requests).toHaveLength(0);
    expect(server.requests.length).toBe(before);

    // rerun with the fine-tuned model as the run's LLM: fit is a no-op, inference runs without retrieval
    const tuned = scriptedLlm((r, n) => scripted(r, n));
    const tunedLlm = { ...tuned.llm, model: record.model as string };
    const sim3 = await ft();
    await sim3.fit!(train(), fitContext(tunedLlm, dir));
    expect(tuned.requests).toHaveLength(0);
    expect(server.requests.length).toBe(before);
    const out = await sim3.discriminate!(userView('u1'), ITEMS.slice(0, 3), unit(tunedLlm));
    expect(out).toHaveLength(3);
    expect(tuned.requests.map((r) => r.schemaName)).toEqual(['persona_generation', 'screening', 'selection_like']);
    expect(userText(tuned.requests[1]!)).not.toContain('Lessons learned');
    // The trained model still gets the world model's next-state demonstrations (built from the data, no call).
    expect(userText(tuned.requests[1]!)).toContain('How the service responds (world model)');
  });

  it('resumes a job left running by an interrupted fit instead of starting another', async () => {
    const dir = tempDir('ft-resume');
    const s = scriptedLlm((r, n) => scripted(r, n));
    // the same data through the export backend gives the SFT file the fine-tune fit will want
    await (await makeSim({ training: 'export' })).fit!(train(), fitContext(s.llm, dir));
    const jsonl = readFileSync(join(dir, 'out', SFT_FILE), 'utf8');
    const client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'x.jsonl'), purpose: 'fine-tune' });
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4.1-mini-2025-04-14',
      training_file: file.id,
      suffix: 'alignuser',
    });
    const pending = {
      sft: sha256(jsonl),
      baseModel: 'gpt-4.1-mini-2025-04-14',
      baseURL: server.baseURL,
      jobId: job.id,
      trainingFile: file.id,
    };
    writeFileSync(join(dir, 'out', 'fine-tune-pending.json'), JSON.stringify(pending));
    server.reset();
    const { log, lines } = makeLog();
    await (await ft()).fit!(train(), fitContext(s.llm, dir, log));
    expect(server.requests.every((r) => r.method === 'GET' && r.path === `/v1/fine_tuning/jobs/${job.id}`)).toBe(true);
    expect(lines.join('\n')).toContain(`resuming fine-tuning job ${job.id}`);
    expect(JSON.parse(readFileSync(join(dir, 'out', FINE_TUNED_FILE), 'utf8')).jobId).toBe(job.id);
  });

  it("a failed job fails the fit with the provider's reason", async () => {
    server.reset();
    const s = scriptedLlm((r, n) => scripted(r, n));
    // one page: 4 examples, below the API's minimum of 10
    const sim = await ft({ fitUsers: 1, pagesPerUser: 1 });
    await expect(sim.fit!(train(), fitContext(s.llm, tempDir('ft-fail')))).rejects.toThrow(
      /fine-tuning job ftjob-\w+ failed: Training file has 4 example\(s\), but must have at least 10/,
    );
  });

  it('names the missing key variable', async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = await ft({ apiKeyEnv: 'ALIGNUSER_NO_SUCH_KEY' });
    await expect(sim.fit!(train(), fitContext(s.llm, tempDir('ft-nokey')))).rejects.toThrow(
      /ALIGNUSER_NO_SUCH_KEY is not set/,
    );
  });
});
