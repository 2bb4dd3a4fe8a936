/**
 * A problem in a dataset file: names the file, the line (when known) and what
 * to do about it.
 */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${problem}. Fix: ${fix}`);
    this.name = 'DataError';
  }
}
