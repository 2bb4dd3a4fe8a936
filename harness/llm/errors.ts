import { redact } from '../util/secrets.js';

/** The kinds of unit error counted in metrics.json and shown in the leaderboard. */
export type UnitErrorKind = 'parse' | 'llm' | 'method' | 'answer';

export class UnitError extends Error {
  constructor(
    readonly kind: UnitErrorKind,
    message: string,
  ) {
    super(redact(message));
    this.name = 'UnitError';
  }
}

/** A structured reply that stayed invalid after the repair turn. */
export class LlmParseError extends UnitError {
  constructor(
    message: string,
    readonly reply: string,
  ) {
    super('parse', message);
    this.name = 'LlmParseError';
  }
}
