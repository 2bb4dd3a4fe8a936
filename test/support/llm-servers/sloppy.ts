/**
 * A sloppy model: the OpenAI-compatible fake server answering like a small
 * open model does. Structured replies come in the forms seen from such models
 * (plain JSON, fenced, after a sentence of prose, with a trailing explanation,
 * a trailing comma, single quotes, a comment, a missing required field, cut at
 * maxTokens), at configurable rates; repair turns sometimes repeat the
 * mistake; some requests are persistently malformed in a way no library can
 * mend. Everything is a pure function of the conversation and the seed, so a
 * rerun meets the same replies.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from './faults.js';
import { startOpenAiServer, type OpenAiServerOptions, type OpenAiTestServer } from './openai-server.js';
import { sampleSchema, type JsonSchema } from './schema-reply.js';
import type { PlainMessage, ReplyFn, ReplyRequest } from './content.js';

/** The forms a malformed first reply takes, in the order their rates are summed. */
export const SLOPPY_FORMS = [
  'fenced',
  'prose',
  'trailingText',
  'trailingComma',
  'singleQuotes',
  'comment',
  'missingField',
  'truncated',
] as const;
export type SloppyForm = (typeof SLOPPY_FORMS)[number];

export interface SloppyRates extends Partial<Record<SloppyForm, number>> {
  /** Share of requests whose every reply, repair turns included, misses a required field (or is not JSON). */
  readonly persistent?: number;
  /** Chance that the repair reply repeats the first reply's mistake. */
  readonly repairRepeats?: number;
}

/** About 21% malformed first replies, 3% persistent, a third of repairs repeating the mistake. */
export const SLOPPY_DEFAULTS: Required<SloppyRates> = {
  fenced: 0.04,
  prose: 0.03,
  trailingText: 0.03,
  trailingComma: 0.03,
  singleQuotes: 0.01,
  comment: 0.01,
  missingField: 0.03,
  truncated: 0.01,
  persistent: 0.03,
  repairRepeats: 0.35,
};

/** What the sloppy model did, for a test or the bench to report. */
export interface SloppyCounts {
  first: number;
  firstMalformed: number;
  persistent: number;
  repairs: number;
  repairsRepeated: number;
  byForm: Record<string, number>;
}

const REPAIR_PREFIX = 'Your reply could not be used';
const SCHEMA_MARK = 'that satisfies this JSON Schema:\n';

const unit = (text: string): number =>
  parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16) / 2 ** 32;

/** The schema of a request: the response_format one, else the one the prompt carries (json-object / instructions modes). */
function schemaOf(req: ReplyRequest): JsonSchema | undefined {
  if (req.schema) return req.schema;
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const c = req.messages[i]?.content ?? '';
    const at = c.lastIndexOf(SCHEMA_MARK);
    if (at < 0) continue;
    try {
      return JSON.parse(c.slice(at + SCHEMA_MARK.length).split('\n')[0] ?? '') as JsonSchema;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The conversation as first asked: a repair turn's messages minus the model's reply and the repair request. */
function firstTurn(messages: readonly PlainMessage[]): { base: readonly PlainMessage[]; repair: boolean } {
  const last = messages.at(-1);
  const prev = messages.at(-2);
  if (last?.role === 'user' && last.content.startsWith(REPAIR_PREFIX) && prev?.role === 'assistant')
    return { base: messages.slice(0, -2), repair: true };
  return { base: messages, repair: false };
}

function pickForm(u: number, rates: Required<SloppyRates>): SloppyForm | null {
  let acc = 0;
  for (const f of SLOPPY_FORMS) {
    acc += rates[f];
    if (u < acc) return f;
  }
  return null;
}

function withoutRequired(value: unknown, schema: JsonSchema): unknown | null {
  const req = schema['required'];
  if (!Array.isArray(req) || req.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value))
    return null;
  const out = { ...(value as Record<string, unknown>) };
  delete out[String(req[0])];
  return out;
}

function render(form: SloppyForm | null, value: unknown, schema: JsonSchema, maxTokens: number | undefined): string {
  const j = JSON.stringify(value);
  switch (form) {
    case null:
      return j;
    case 'fenced':
      return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
    case 'prose':
      return `Sure! Here is my answer in the requested format:\n${j}`;
    case 'trailingText':
      return `${j}\n\nI chose these because they fit the history best.`;
    case 'trailingComma':
      return j.replace(/([}\]])$/, ',$1');
    case 'singleQuotes':
      return j.replace(/"/g, "'");
    case 'comment':
      return `// my answer\n${j}`;
    case 'missingField': {
      const cut = withoutRequired(value, schema);
      return cut === null ? `I am not sure how to answer that.` : JSON.stringify(cut);
    }
    case 'truncated': {
      // Thinks aloud past the limit: the endpoint cuts it (finish_reason length) before any JSON.
      const budget = (maxTokens ?? 256) * 4 + 40;
      let pad = '';
      while (pad.length < budget) pad += 'Let me think about this step by step, weighing each option carefully. ';
      return `${pad}${j}`;
    }
  }
}

/** The reply function: plug into any fake OpenAI server as `reply`. */
export function sloppyReply(rates: SloppyRates = {}, seed = 1, counts?: SloppyCounts): ReplyFn {
  const r: Required<SloppyRates> = { ...SLOPPY_DEFAULTS, ...rates };
  return (req) => {
    const schema = schemaOf(req);
    if (!schema) return undefined;
    const { base, repair } = firstTurn(req.messages);
    const conv = `${seed}\u0000${JSON.stringify(base)}`;
    const value = sampleSchema(schema, mulberry32(Math.floor(unit(`value\u0000${conv}`) * 2 ** 32)));
    const maxTokens =
      typeof req.body['max_tokens'] === 'number'
        ? req.body['max_tokens']
        : typeof req.body['max_completion_tokens'] === 'number'
          ? req.body['max_completion_tokens']
          : undefined;
    const persistent = unit(`persistent\u0000${conv}`) < r.persistent;
    const first = persistent ? 'missingField' : pickForm(unit(`form\u0000${conv}`), r);
    if (!repair) {
      if (counts) {
        counts.first++;
        if (first) counts.firstMalformed++;
        if (persistent) counts.persistent++;
        const k = first ?? 'plain';
        counts.byForm[k] = (counts.byForm[k] ?? 0) + 1;
      }
      return render(first, value, schema, maxTokens);
    }
    const repeats = persistent || unit(`repeat\u0000${seed}\u0000${JSON.stringify(req.messages)}`) < r.repairRepeats;
    if (counts) {
      counts.repairs++;
      if (repeats) counts.repairsRepeated++;
    }
    // A repeated mistake is the same slip again (a truncated reply is never repaired, so it cannot recur here).
    return render(repeats ? first : null, value, schema, maxTokens);
  };
}

export interface SloppyServer extends OpenAiTestServer {
  readonly counts: SloppyCounts;
  /** From now on answer every request cleanly (valid JSON, no slip), or sloppily again. */
  setClean(clean: boolean): void;
}

/** The fake OpenAI server with a sloppy model behind it (other options as for startOpenAiServer). */
export async function startSloppyServer(
  opts: OpenAiServerOptions & { readonly rates?: SloppyRates; readonly sloppySeed?: number } = {},
): Promise<SloppyServer> {
  const counts: SloppyCounts = {
    first: 0,
    firstMalformed: 0,
    persistent: 0,
    repairs: 0,
    repairsRepeated: 0,
    byForm: {},
  };
  let clean = false;
  const sloppy = sloppyReply(opts.rates, opts.sloppySeed ?? 1, counts);
  const tidy = sloppyReply(
    Object.fromEntries([...SLOPPY_FORMS, 'persistent', 'repairRepeats'].map((k) => [k, 0])),
    opts.sloppySeed ?? 1,
  );
  const server = await startOpenAiServer({ ...opts, reply: (req) => (clean ? tidy(req) : sloppy(req)) });
  return Object.assign(server, {
    counts,
    setClean: (c: boolean) => {
      clean = c;
    },
  });
}
