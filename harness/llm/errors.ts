import { redact } from '../util/secrets.js';

/**
 * The kinds of unit error counted in metrics.json and shown in the leaderboard.
 * truncated: the reply was cut at maxTokens; fit: the method's fit produced
 * nothing usable, so none of its units could run.
 */
export type UnitErrorKind = 'parse' | 'truncated' | 'llm' | 'method' | 'answer' | 'fit';

export class UnitError extends Error {
  constructor(
    readonly kind: UnitErrorKind,
    message: string,
    /** `cause`: the provider error behind an 'llm' error (preflight reads its HTTP status). */
    options?: { readonly cause?: unknown },
  ) {
    super(redact(message), options);
    this.name = 'UnitError';
  }
}

/** What a failed structured call leaves for inspection: the call's stage, the raw reply, why it was refused. */
export interface ReplyFailure {
  readonly stage: string;
  readonly reply: string;
  readonly validation: string;
  /** Cache key of the call whose reply was refused last. */
  readonly key: string;
}

/** A structured reply that stayed invalid after the repair turn (or was cut at maxTokens: kind truncated). */
export class LlmParseError extends UnitError {
  readonly failure: ReplyFailure | null;

  constructor(
    message: string,
    readonly reply: string,
    failure: ReplyFailure | null = null,
    kind: 'parse' | 'truncated' = 'parse',
  ) {
    super(kind, message);
    this.name = 'LlmParseError';
    this.failure = failure;
  }
}

/** The structured reply ran into maxTokens before its JSON was complete: kind truncated, with the fix. */
export function truncatedReply(
  stage: string,
  request: { readonly maxTokens?: number },
  text: string,
  validation: string,
  key: string,
): LlmParseError {
  const now = request.maxTokens ?? 'unset, the endpoint default';
  return new LlmParseError(
    `${stage}: the reply was cut at maxTokens (finish_reason: length) before its JSON was complete — raise maxTokens (now ${now})`,
    text,
    { stage, reply: text, validation, key },
    'truncated',
  );
}

/**
 * The endpoint refused the credentials (HTTP 401/403, or the key variable is
 * unset): no other call can succeed, so the run stops (exit 2) instead of
 * recording the same error on every unit.
 */
export class LlmAuthError extends Error {
  constructor(
    message: string,
    readonly apiKeyEnv: string | null,
    readonly endpoint: string | null,
  ) {
    super(message);
    this.name = 'LlmAuthError';
  }
}
