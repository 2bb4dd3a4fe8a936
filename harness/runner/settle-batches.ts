import type { LlmDoor } from '../llm/door.js';
import { sleep } from '../llm/retry.js';
import type { Logger } from '../api/plugin.js';
import type { BatchLedger } from './batch-ledger.js';

/**
 * Batch mode, one stage: submits the door's queued requests (those not already
 * in an outstanding batch), polls every outstanding batch of this door until it
 * ends, and puts the answers into the cache. Returns the keys whose batch item
 * failed (their units are recorded as errors, not queued forever).
 */
export async function settleBatches(
  door: LlmDoor,
  doorId: string,
  ledger: BatchLedger,
  log: Logger,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const api = door.provider.batch;
  const failures = new Map<string, string>();
  if (!api) return failures;
  const queued = door.takeQueued();
  const materials = new Map(queued.map((q) => [q.customId, door.materialOf(q.customId) ?? '']));
  const covered = new Set(ledger.outstanding(doorId).flatMap((r) => r.keys));
  const fresh = queued.filter((q) => !covered.has(q.customId));
  if (fresh.length > 0) {
    const id = await api.submit(fresh, signal);
    ledger.add({
      id,
      door: doorId,
      provider: door.provider.provider,
      model: door.provider.model,
      keys: fresh.map((q) => q.customId),
      status: 'submitted',
      submittedAt: new Date().toISOString(),
    });
    log.info(`batch ${id}: submitted ${fresh.length} request(s) to ${door.provider.provider}`);
  }
  for (const rec of ledger.outstanding(doorId)) {
    for (;;) {
      const r = await api.poll(rec.id, signal);
      if (r.status === 'pending') {
        log.info(
          `batch ${rec.id}: ${r.detail}; next check in ${Math.round(door.runtimePollMs / 1000)} s (Ctrl-C is safe: the next run resumes this batch)`,
        );
        await sleep(door.runtimePollMs, signal);
        continue;
      }
      if (r.status === 'failed') {
        rec.status = 'failed';
        rec.message = r.message;
        for (const k of rec.keys) failures.set(k, `batch ${rec.id} failed: ${r.message}`);
      } else {
        let ok = 0;
        for (const item of r.results) {
          if (item.reply) {
            door.ingestBatchResult(item.customId, materials.get(item.customId) ?? '', item.reply);
            ok++;
          } else failures.set(item.customId, `batch ${rec.id} item failed: ${item.error ?? 'no result'}`);
        }
        rec.status = 'ingested';
        log.info(
          `batch ${rec.id}: ${ok} answer(s) stored in the cache${r.results.length > ok ? `, ${r.results.length - ok} failed` : ''}`,
        );
      }
      rec.finishedAt = new Date().toISOString();
      ledger.save();
      break;
    }
  }
  door.clearQueued(queued.map((q) => q.customId));
  return failures;
}
