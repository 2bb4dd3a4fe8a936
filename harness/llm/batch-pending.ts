/**
 * Thrown by the door in batch mode when a request is queued for the batch
 * API: the unit is not finished, nor failed; the runner runs it again once the
 * batch results are in the cache.
 */
export class BatchPending extends Error {
  constructor(readonly key: string) {
    super(`request ${key.slice(0, 12)}… waits for its batch`);
    this.name = 'BatchPending';
  }
}
