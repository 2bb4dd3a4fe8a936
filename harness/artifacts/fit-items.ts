import { currentFit, MAX_RECORDED_FAILURES, noteTainted } from '../llm/call-trail.js';
import { LlmParseError, UnitError } from '../llm/errors.js';

/**
 * Runs `work` over a fit's items (transitions, users, sessions), at most
 * `concurrency` at once, results in input order. An item whose LLM call
 * still fails after its retries and repair turn is recorded (stage, item,
 * error kind and message, the raw reply) and left out: its slot is null and
 * the fit goes on; if every item fails (and the items are not `optional`)
 * the fit is unusable and the method's cells become errors. Anything else (a bug, a refused key, Ctrl-C) still stops
 * the fit. The runner's fit report counts items attempted, succeeded and
 * failed, and shows them as progress.
 */
export async function fitItems<T, R>(
  stage: string,
  items: readonly T[],
  idOf: (item: T) => string,
  work: (item: T) => Promise<R>,
  opts: {
    readonly concurrency?: number;
    /** The method copes with every item missing (e.g. its units make them lazily); else a fit with none made is unusable. */
    readonly optional?: boolean;
  } = {},
): Promise<(R | null)[]> {
  const report = currentFit();
  if (report) {
    report.planned += items.length;
    report.stage = stage;
  }
  const out: (R | null)[] = new Array(items.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      const item = items[k] as T;
      if (report) report.attempted++;
      try {
        out[k] = await work(item);
        if (report) report.succeeded++;
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
        noteTainted();
        if (report) {
          report.failed++;
          report.failedByKind[e.kind] = (report.failedByKind[e.kind] ?? 0) + 1;
          if (report.failures.length < MAX_RECORDED_FAILURES) {
            const reply = e instanceof LlmParseError ? e.reply : undefined;
            const failedStage = e instanceof LlmParseError ? e.failure?.stage : undefined;
            report.failures.push({
              stage: failedStage ?? stage,
              item: idOf(item),
              kind: e.kind,
              message: e.message,
              ...(reply !== undefined ? { reply } : {}),
            });
          }
        }
      } finally {
        if (report) report.done++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, items.length) }, worker));
  if (report && !opts.optional && items.length > 0 && out.every((x) => x === null))
    report.unusable ??= `all ${items.length} items of ${stage} failed`;
  return out;
}
