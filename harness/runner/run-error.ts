/** A run that cannot start (usage or configuration problem): exit code 2. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
