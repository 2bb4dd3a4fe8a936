/** 0 success; 1 the run finished but some units failed; 2 usage or config error; 130 interrupted (Ctrl-C). */
export const EXIT = { ok: 0, unitErrors: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
