import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { likeSchema, rateSchema, screeningSchema } from '../../../../plugins/methods/alignuser/decision.ts';
import { SFT_FILE } from '../../../../plugins/methods/alignuser/export.ts';
import { worldModelSchema } from '../../../../plugins/methods/alignuser/world-model.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { fitContext, makeLog, makeSim, RATED, scripted, tempDir, train } from './fixtures.ts';

/** The chat fine-tuning format (OpenAI, and the chat templates of LoRA trainers such as TRL/axolotl/LLaMA-Factory). */
const CHAT_LINE = {
  type: 'object',
  required: ['messages'],
  additionalProperties: false,
  properties: {
    messages: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        required: ['role', 'content'],
        additionalProperties: false,
        properties: { role: { enum: ['system', 'user', 'assistant'] }, content: { type: 'string', minLength: 1 } },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validLine = ajv.compile(CHAT_LINE);

interface Line {
  messages: { role: string; content: string }[];
}

function codesIn(prompt: string): string[] {
  return [...new Set([...prompt.matchAll(/^(i\d+): /gm)].map((m) => m[1] as string))];
}

describe('alignuser export backend', () => {
  it('writes chat-format JSONL whose every line is a valid fine-tuning example answering in the inference schema', async () => {
    const dir = tempDir('export');
    const s = scriptedLlm((r, n) => scripted(r, n));
    const { log, lines: logs } = makeLog();
    const sim = await makeSim({ training: 'export' });
    await sim.fit!(train(), fitContext(s.llm, dir, log));
    const path = join(dir, 'out', SFT_FILE);
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    // per transition: screening, like/not, rating, next state
    expect(lines).toHaveLength(24);
    const kinds = { screen: 0, like: 0, rate: 0, world: 0 };
    for (const line of lines) {
      expect(validLine(line), JSON.stringify(validLine.errors)).toBe(true);
      const roles = line.messages.map((m) => m.role);
      expect(roles).toEqual(['system', 'user', 'assistant']);
      const prompt = line.messages[1]!.content;
      const answer = JSON.parse(line.messages.at(-1)!.content) as Record<string, any>;
      const codes = codesIn(prompt);
      // a trained model carries its lessons in its weights: no retrieved block in its prompts
      expect(prompt).not.toContain('Lessons learned');
      if (prompt.includes('You are a world model')) {
        kinds.world++;
        expect(ajv.validate(worldModelSchema(1), answer)).toBe(true);
        expect(answer['outcomes'][0].nextState).toMatch(/^The history now ends with/);
      } else if (prompt.includes('First screen the page')) {
        kinds.screen++;
        expect(ajv.validate(screeningSchema(codes), answer), JSON.stringify(ajv.errors)).toBe(true);
        expect(Object.values(answer['items']).filter((v: any) => v.decision === 'watch')).toHaveLength(2);
        expect((answer['items'] as Record<string, { reason: string }>)['i1']!.reason).toBe('REASON-i1');
      } else if (prompt.includes('would you like it')) {
        kinds.like++;
        expect(ajv.validate(likeSchema(codes), answer), JSON.stringify(ajv.errors)).toBe(true);
        expect(answer['reasoning']).toMatch(/^THOUGHT-\d+/);
        expect(Object.values(answer['items']).filter((v: any) => v.like)).toHaveLength(2);
      } else if (prompt.includes('give the rating')) {
        kinds.rate++;
        expect(ajv.validate(rateSchema(codes, { min: 1, max: 5, step: 1 }), answer), JSON.stringify(ajv.errors)).toBe(
          true,
        );
        expect(codes).toEqual(['i1', 'i2']);
      } else {
        throw new Error(`unexpected example: ${prompt.slice(0, 80)}`);
      }
    }
    expect(kinds).toEqual({ screen: 6, like: 6, rate: 6, world: 6 });
    // the like/not answers are the human's: exactly the items watched on that page are liked
    const data = (
      sim as unknown as {
        fitted: {
          data: {
            transitions: { transition: { user: string; page: string[]; action: { watched: { item: string }[] } } }[];
          };
        };
      }
    ).fitted.data;
    const likeLines = lines.filter((l) => l.messages[1]!.content.includes('would you like it'));
    for (const { transition: t } of data.transitions) {
      const line = likeLines.find(
        (l) =>
          l.messages[1]!.content.includes(`occupation: job-${t.user}.`) &&
          t.page.every((id) => l.messages[1]!.content.includes(` tale ${id.slice(1)} [`)),
      )!;
      const answer = JSON.parse(line.messages[2]!.content)['items'] as Record<string, { like: boolean }>;
      const liked = Object.entries(answer)
        .filter(([, v]) => v.like)
        .map(([c]) => new RegExp(`^${c}: The [a-z]+ tale (\\d+) \\[`, 'm').exec(line.messages[1]!.content)![1]);
      expect(liked.sort()).toEqual(t.action.watched.map((w) => w.item.slice(1)).sort());
      expect(RATED[t.user]).toEqual(expect.arrayContaining(t.action.watched.map((w) => w.item)));
    }

    const all = logs.join('\n');
    expect(all).toContain(`wrote 24 chat-format SFT examples to ${path}`);
    expect(all).toContain('vllm serve <base> --enable-lora --lora-modules usersim=<adapter>');
    expect(all).toContain('llm: { plugin: openai, baseURL: http://localhost:8000/v1, model: usersim }');

    // a rerun rewrites the same file from the stored artifacts, without an LLM call
    rmSync(path);
    const again = scriptedLlm(() => {
      throw new Error('no LLM call expected');
    });
    await (await makeSim({ training: 'export' })).fit!(train(), fitContext(again.llm, dir));
    expect(again.requests).toHaveLength(0);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('world-model examples can be left out', async () => {
    const dir = tempDir('export-nowm');
    const s = scriptedLlm((r, n) => scripted(r, n));
    await (await makeSim({ training: 'export', worldModelExamples: false })).fit!(train(), fitContext(s.llm, dir));
    expect(
      readFileSync(join(dir, 'out', SFT_FILE), 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(18);
  });

  it("when the run's LLM is the served trained model, fit builds nothing", async () => {
    const dir = tempDir('export-served');
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = await makeSim({ training: 'export', trainedModel: 'usersim' });
    await sim.fit!(train(), fitContext({ ...s.llm, model: 'usersim' }, dir));
    expect(s.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'out', SFT_FILE))).toBe(false);
  });
});
