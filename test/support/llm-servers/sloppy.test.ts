import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../harness/llm/parse-json.js';
import type { ReplyRequest } from './content.js';
import { SLOPPY_DEFAULTS, sloppyReply, startSloppyServer, type SloppyCounts } from './sloppy.js';

const schema = {
  type: 'object',
  properties: { like: { type: 'boolean' }, why: { type: 'string' } },
  required: ['like', 'why'],
  additionalProperties: false,
};
const request = (k: number, extra: Partial<ReplyRequest> = {}): ReplyRequest => ({
  provider: 'openai',
  model: 'sloppy',
  messages: [{ role: 'user', content: `question ${k}` }],
  schema,
  wantsJson: true,
  body: { max_tokens: 200 },
  choice: 0,
  ...extra,
});
const repairOf = (r: ReplyRequest, reply: string): ReplyRequest => ({
  ...r,
  messages: [
    ...r.messages,
    { role: 'assistant', content: reply },
    { role: 'user', content: 'Your reply could not be used: x' },
  ],
});
const valid = (text: string) => {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    return typeof v['like'] === 'boolean' && typeof v['why'] === 'string';
  } catch {
    return false;
  }
};

describe('the sloppy model', () => {
  it('answers with the listed slips at about the configured rates, deterministically; persistent requests stay malformed through the repair turn', () => {
    const counts: SloppyCounts = {
      first: 0,
      firstMalformed: 0,
      persistent: 0,
      repairs: 0,
      repairsRepeated: 0,
      byForm: {},
    };
    const reply = sloppyReply({}, 3, counts);
    const twin = sloppyReply({}, 3);
    const n = 2000;
    let strictFail = 0;
    let unmendable = 0;
    let repeated = 0;
    let repairs = 0;
    for (let k = 0; k < n; k++) {
      const r = request(k);
      const text = reply(r) as string;
      expect(twin(r)).toBe(text);
      if (!valid(text)) strictFail++;
      const accept = (v: unknown) => (valid(JSON.stringify(v)) ? null : 'bad');
      if (!parseReply(text, accept).ok) {
        unmendable++;
        const again = reply(repairOf(r, text)) as string;
        repairs++;
        if (!parseReply(again, accept).ok) repeated++;
      }
    }
    expect(strictFail / n).toBeGreaterThan(0.15);
    expect(counts.persistent / n).toBeGreaterThan(0.02);
    for (const form of [
      'fenced',
      'prose',
      'trailingText',
      'trailingComma',
      'singleQuotes',
      'comment',
      'missingField',
      'truncated',
    ])
      expect(counts.byForm[form], form).toBeGreaterThan(0);
    // Unmendable ones are the missing fields (and persistent ones); some repairs repeat the mistake.
    expect(unmendable / n).toBeGreaterThan(SLOPPY_DEFAULTS.persistent);
    expect(repeated).toBeGreaterThan(counts.persistent * 0.9);
    expect(repeated).toBeLessThan(repairs);
  });

  it('is served by the fake OpenAI endpoint: a truncated reply ends with finish_reason length; setClean(true) answers validly', async () => {
    const server = await startSloppyServer({ rates: { truncated: 1 }, record: false });
    try {
      const client = new OpenAI({ apiKey: 'x', baseURL: server.baseURL, maxRetries: 0 });
      const ask = () =>
        client.chat.completions.create({
          model: 'sloppy-7b',
          messages: [{ role: 'user', content: 'hi' }],
          max_tokens: 50,
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
        });
      const cut = await ask();
      expect(cut.choices[0]?.finish_reason).toBe('length');
      server.setClean(true);
      const fine = await ask();
      expect(fine.choices[0]?.finish_reason).toBe('stop');
      expect(valid(fine.choices[0]?.message.content ?? '')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
