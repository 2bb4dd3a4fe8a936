/**
 * What the fake models "say": deterministic content, scripted replies,
 * token counts and the prompt cache. Shared by both providers so that the same
 * prompt gets the same answer whichever wire format asked for it.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from './faults.js';
import { sampleSchema, violateSchema, type JsonSchema } from './schema-reply.js';

/** One message flattened to text (system prompts appear as role 'system'). */
export interface PlainMessage {
  readonly role: string;
  readonly content: string;
}

/** What a `reply` override sees: the request reduced to what decides the content. */
export interface ReplyRequest {
  readonly provider: 'openai' | 'anthropic';
  /** The model as requested (before the version suffix is added). */
  readonly model: string;
  readonly messages: readonly PlainMessage[];
  /** The JSON Schema the reply must satisfy (json_schema response_format, forced tool's input_schema, output_config), if any. */
  readonly schema: JsonSchema | undefined;
  /** True for any JSON mode: json_object, json_schema, forced tool. */
  readonly wantsJson: boolean;
  /** The raw request body (for a batch line: its `body` / `params`). */
  readonly body: Readonly<Record<string, unknown>>;
  /** 0-based choice index when OpenAI `n` > 1. */
  readonly choice: number;
  /** Set for requests that came in through a batch. */
  readonly customId?: string;
}

/**
 * Override the content. Return the exact text to send (for a forced Anthropic
 * tool it is parsed as the tool input), or undefined to fall back to the
 * default (REPLY_JSON, then schema sample, then deterministic text).
 */
export type ReplyFn = (req: ReplyRequest) => string | undefined;

const REPLY_JSON_LINE = /^[ \t]*REPLY_JSON:[ \t]?(.*)$/gm;

/**
 * `REPLY_JSON: <json>` lines in the prompt script the reply. With several such
 * lines, the k-th assistant turn of a conversation gets the k-th line (the last
 * one repeats), so a test can script "invalid first, valid after the repair
 * turn" in one prompt. Lines in assistant messages are ignored: they are the
 * model's own output.
 */
export function scriptedReply(messages: readonly PlainMessage[]): string | undefined {
  const lines: string[] = [];
  let assistantTurns = 0;
  for (const m of messages) {
    if (m.role === 'assistant') {
      assistantTurns++;
      continue;
    }
    for (const match of m.content.matchAll(REPLY_JSON_LINE)) lines.push(match[1]!.trimEnd());
  }
  if (lines.length === 0) return undefined;
  return lines[Math.min(assistantTurns, lines.length - 1)];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The seed of everything deterministic about one reply. */
export function contentHash(req: Pick<ReplyRequest, 'messages' | 'schema' | 'choice' | 'wantsJson'>): string {
  return sha256(JSON.stringify([req.messages, req.schema ?? null, req.wantsJson, req.choice]));
}

const VOCAB = [
  'the',
  'user',
  'would',
  'probably',
  'enjoy',
  'this',
  'item',
  'because',
  'it',
  'matches',
  'their',
  'taste',
  'for',
  'quiet',
  'stories',
  'with',
  'strong',
  'characters',
  'but',
  'pacing',
  'felt',
  'slow',
  'in',
  'places',
  'overall',
  'a',
  'solid',
  'pick',
  'rating',
  'four',
  'out',
  'of',
  'five',
  'and',
  'worth',
  'recommending',
];

/** Plain-text reply: a short deterministic sentence tagged with the hash, so tests can tell replies apart. */
export function defaultText(hash: string): string {
  const rng = mulberry32(parseInt(hash.slice(0, 8), 16));
  const n = 8 + Math.floor(rng() * 16);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(VOCAB[Math.floor(rng() * VOCAB.length)]!);
  return `Mock reply ${hash.slice(0, 8)}: ${words.join(' ')}.`;
}

/**
 * The content for one request. Precedence: `reply` override, REPLY_JSON line,
 * schema sample (or `{}`-ish object for json_object), deterministic text.
 * `invalid` (the schemaInvalid fault) then breaks it: schema violated, or, with
 * no schema, text that is not JSON at all.
 */
export function composeContent(req: ReplyRequest, override: ReplyFn | undefined, invalid: boolean): string {
  const hash = contentHash(req);
  if (invalid) {
    if (req.schema) {
      const valid = sampleSchema(req.schema, mulberry32(parseInt(hash.slice(0, 8), 16)));
      return JSON.stringify(violateSchema(req.schema, valid));
    }
    return `I'm sorry, I can't answer in that format. (${hash.slice(0, 8)})`;
  }
  const custom = override?.(req);
  if (custom !== undefined) return custom;
  const scripted = scriptedReply(req.messages);
  if (scripted !== undefined) return scripted;
  if (req.schema) return JSON.stringify(sampleSchema(req.schema, mulberry32(parseInt(hash.slice(0, 8), 16))));
  if (req.wantsJson) return JSON.stringify({ answer: defaultText(hash) });
  return defaultText(hash);
}

/** ~4 characters per token, like English BPE; never 0 for non-empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** Cut text to roughly `maxTokens` tokens (the `length` / `max_tokens` stop). */
export function truncateToTokens(text: string, maxTokens: number): string {
  return text.slice(0, Math.max(0, maxTokens * 4));
}

/** Cut at the first stop sequence, if any. */
export function applyStop(text: string, stops: readonly string[]): { text: string; stopped: string | null } {
  let cut = -1;
  let which: string | null = null;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) {
      cut = i;
      which = s;
    }
  }
  return cut < 0 ? { text, stopped: null } : { text: text.slice(0, cut), stopped: which };
}

/**
 * A prompt cache keyed by prefixes: `units` are the prompt's pieces in order
 * (messages, or Anthropic blocks up to a cache_control breakpoint). Returns the
 * token count of the longest prefix seen before, and remembers every prefix of
 * this prompt. The harness's repair turn (same messages plus two) therefore
 * reads the first turn from cache, as it would with the real APIs.
 */
export class PromptCache {
  private readonly seen = new Set<string>();
  /** Bound the memory of long bench runs; forgetting everything at once is fine for a fake. */
  private static readonly MAX_ENTRIES = 200_000;

  /** `units[i]` = [text, tokens]. Returns { hitTokens, totalTokens }. */
  lookupAndStore(units: readonly (readonly [string, number])[]): { hitTokens: number; totalTokens: number } {
    let h = '';
    let tokens = 0;
    let hit = 0;
    const keys: string[] = [];
    for (const [text, t] of units) {
      h = sha256(h + '\u0000' + text);
      tokens += t;
      keys.push(h);
      if (this.seen.has(h)) hit = tokens;
    }
    if (this.seen.size + keys.length > PromptCache.MAX_ENTRIES) this.seen.clear();
    for (const k of keys) this.seen.add(k);
    return { hitTokens: hit, totalTokens: tokens };
  }

  clear(): void {
    this.seen.clear();
  }
}

const OPENAI_VERSIONS: Record<string, string> = {
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
  'o4-mini': 'o4-mini-2025-04-16',
};

const ANTHROPIC_VERSIONS: Record<string, string> = {
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
  'claude-opus-4-0': 'claude-opus-4-20250514',
  'claude-opus-4-5': 'claude-opus-4-5-20251101',
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-0': 'claude-sonnet-4-20250514',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
};

/**
 * The model string the API reports: aliases resolve to a dated snapshot, as
 * the real APIs do, so tests see that "requested" and "served" models differ.
 * Already-dated names and fine-tuned models (ft:...) come back unchanged.
 */
export function servedModel(provider: 'openai' | 'anthropic', model: string): string {
  if (provider === 'openai') {
    if (model.startsWith('ft:') || /-\d{4}-\d{2}-\d{2}$/.test(model)) return model;
    return OPENAI_VERSIONS[model] ?? `${model}-2025-01-01`;
  }
  if (/-\d{8}$/.test(model)) return model;
  return ANTHROPIC_VERSIONS[model] ?? `${model}-20250101`;
}
