import { join } from 'node:path';
import type { Simulator } from '../api/method.js';
import type { Logger } from '../api/plugin.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { LlmDoor } from '../llm/door.js';
import { emptyTotals } from '../llm/usage-meter.js';
import { kindOf } from '../plan/dataset-kinds.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import { Rng } from '../util/rng.js';

/**
 * The simulators of a run, one per (seed, dataset, method), each created and
 * fitted at its first pending unit: a rerun with every unit done fits nothing.
 */
export class Simulators {
  private readonly made = new Map<string, Promise<Simulator>>();

  constructor(
    private readonly plan: Plan,
    private readonly opts: {
      readonly log: Logger;
      readonly signal: AbortSignal;
      readonly artifacts: ArtifactStore;
      readonly dir: string;
    },
  ) {}

  for(cell: PlannedCell, door: LlmDoor | null): Promise<Simulator> {
    const key = `${cell.seed}|${cell.datasetId}|${cell.method.id}`;
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
    if (kind.fits(sim)) {
      const fitUsage = emptyTotals();
      log.info(`fitting ${cell.method.id} on ${cell.datasetId}`);
      await kind.fit(sim, cell.dataset, {
        seed: cell.seed,
        configDir: cell.method.baseDir,
        log,
        rng: Rng.derive(cell.seed, 'fit', cell.method.id, cell.datasetId),
        // A fit's calls depend on each other's answers: it never waits for a batch.
        llm: door ? door.meter(fitUsage, signal, { online: true }) : null,
        artifacts,
        outputDir: join(dir, 'artifacts', cell.method.id, cell.datasetId),
      });
      if (fitUsage.calls > 0)
        log.info(
          `fit ${cell.method.id} on ${cell.datasetId}: ${fitUsage.calls} LLM calls (${fitUsage.cacheHits} cached)`,
        );
    }
    return sim;
  }
}
