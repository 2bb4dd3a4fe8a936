import { join } from 'node:path';
import type { Simulator } from '../api/method.js';
import type { Logger } from '../api/plugin.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { type FitReport, newTrail, withTrail } from '../llm/call-trail.js';
import type { CallRecord } from '../llm/call-record.js';
import type { LlmDoor } from '../llm/door.js';
import { UnitError } from '../llm/errors.js';
import { emptyTotals } from '../llm/usage-meter.js';
import { kindOf } from '../plan/dataset-kinds.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import type { FitRecord } from '../results/manifest.js';
import { Rng } from '../util/rng.js';

/**
 * The simulators of a run, one per (seed, dataset, method), each created and
 * fitted at its first pending unit: a rerun with every unit done fits nothing.
 * Each fit is traced: its calls (made now, answered by the cache, or behind a
 * reused artifact), its items attempted, succeeded and failed. A fit none of
 * whose items succeeded is unusable: its simulator fails with kind `fit`.
 */
export class Simulators {
  private readonly made = new Map<string, Promise<Simulator>>();
  /** The fits made by this invocation, by `${seed}|${dataset}|${method}`. */
  readonly records = new Map<string, FitRecord>();
  private active: { label: string; report: FitReport } | null = null;

  constructor(
    private readonly plan: Plan,
    private readonly opts: {
      readonly log: Logger;
      readonly signal: AbortSignal;
      readonly artifacts: ArtifactStore;
      readonly dir: string;
    },
  ) {}

  /** The fit running now, for the progress display. */
  activeFit(): { label: string; report: FitReport } | null {
    return this.active;
  }

  for(cell: PlannedCell, door: LlmDoor | null): Promise<Simulator> {
    const key = fitKey(cell.seed, cell.datasetId, cell.method.id);
    let sim = this.made.get(key);
    if (!sim) {
      sim = this.create(cell, door);
      this.made.set(key, sim);
    }
    return sim;
  }

  private async create(cell: PlannedCell, door: LlmDoor | null): Promise<Simulator> {
    const { log, signal, artifacts, dir } = this.opts;
    const prompts = this.plan.promptTexts.get(cell.method.id) ?? {};
    const sim = await cell.method.plugin.create(cell.method.options as never, {
      seed: cell.seed,
      configDir: cell.method.baseDir,
      log,
      prompts,
    });
    const kind = kindOf(cell.dataset);
    if (!kind.fits(sim)) return sim;
    const label = `${cell.method.id} on ${cell.datasetId}`;
    const trail = newTrail(true);
    const calls: CallRecord[] = [];
    const report = trail.fit as FitReport;
    log.info(`fitting ${label}`);
    this.active = { label, report };
    let error: string | null = null;
    try {
      await withTrail(trail, () =>
        kind.fit(sim, cell.dataset, {
          seed: cell.seed,
          configDir: cell.method.baseDir,
          log,
          rng: Rng.derive(cell.seed, 'fit', cell.method.id, cell.datasetId),
          // A fit's calls depend on each other's answers: it never waits for a batch. Its attempts stay
          // fixed: units already run used this fit, so --retry-errors must not change it under them.
          llm: door
            ? door.meter(emptyTotals(), signal, { online: true, stage: 'fit', attempts: 'fixed', calls })
            : null,
          artifacts,
          outputDir: join(dir, 'artifacts', cell.method.id, cell.datasetId),
        }),
      );
      if (report.unusable) {
        const first = report.failures[0];
        error = `the fit of ${label} produced nothing usable: ${report.unusable}${first ? ` (first: ${first.stage}, item ${first.item}: ${first.message})` : ''}`;
      }
    } catch (e) {
      if (signal.aborted || !(e instanceof UnitError)) throw e;
      error = `the fit of ${label} failed: ${e.message}`;
    } finally {
      if (this.active?.report === report) this.active = null;
      this.records.set(fitKey(cell.seed, cell.datasetId, cell.method.id), {
        method: cell.method.id,
        dataset: cell.datasetId,
        seed: cell.seed,
        usage: {
          calls: trail.usage.calls,
          input: trail.usage.input,
          cachedInput: trail.usage.cachedInput,
          output: trail.usage.output,
          // Summed in the order calls finished, which concurrency changes: rounded, so a replay writes the same bytes.
          costUsd: Math.round(trail.usage.costUsd * 1e10) / 1e10,
        },
        items: {
          attempted: report.attempted,
          succeeded: report.succeeded,
          failed: report.failed,
          failedByKind: report.failedByKind,
        },
        failures: report.failures,
        // Made by this invocation (calls behind a reused artifact were counted when it was made).
        replies: {
          repairs: calls.filter((c) => c.repair).length,
          libraryRepairs: calls.filter((c) => c.json === 'library').length,
          failed:
            calls.filter((c) => c.repair && c.json === 'invalid').length +
            calls.filter((c) => !c.repair && c.finish === 'length' && c.json === 'invalid').length,
        },
        ...(error ? { error } : {}),
      });
    }
    const u = trail.usage;
    if (u.calls > 0 || report.attempted > 0)
      log.info(
        `fit ${label}: ${u.calls} LLM calls (${u.cacheHits} cached or from stored artifacts)` +
          (report.attempted > 0
            ? `; ${report.succeeded} of ${report.attempted} items made${
                report.failed > 0
                  ? `, ${report.failed} failed and left out (${Object.entries(report.failedByKind)
                      .map(([k, n]) => `${n} ${k}`)
                      .join(', ')}; see manifest.json fits)`
                  : ''
              }`
            : ''),
      );
    if (error) throw new UnitError('fit', error);
    return sim;
  }
}

export const fitKey = (seed: number, dataset: string, method: string) => `${seed}|${dataset}|${method}`;
