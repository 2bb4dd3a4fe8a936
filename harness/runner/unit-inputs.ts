import type { PersonaRecord, Session } from '../data/sessions.js';
import { trainDataOf, UserViews } from '../data/train-view.js';
import type { Dataset, Item } from '../data/types.js';
import type { Simulator } from '../plugin-api.js';
import type { AnyTask, TaskContext, TaskEnv, TaskUnit } from '../tasks/task-api.js';

/**
 * What a task's `run` is given for a unit, built once per loaded dataset: for
 * ratings, the user's training view and the unit's items; for sessions, the
 * persona and the session. Only the train split reaches a ratings view.
 */
export interface UnitInputs {
  invoke(task: AnyTask, sim: Simulator, unit: TaskUnit, ctx: TaskContext): Promise<unknown>;
}

export function unitInputsOf(dataset: Dataset, env: TaskEnv = { recommenders: [] }): UnitInputs {
  if (dataset.kind === 'ratings') {
    const views = new UserViews(trainDataOf(dataset));
    const items = new Map(dataset.items.map((i) => [i.id, i]));
    return {
      invoke(task, sim, unit, ctx) {
        if (task.data === 'sessions') throw new Error(`${task.name} reads sessions, but ${dataset.name} holds ratings`);
        return task.run(
          sim,
          views.view(unit.user),
          unit.items.map((i) => items.get(i) as Item),
          { ...ctx, env },
          unit,
        );
      },
    };
  }
  const personas = new Map<string, PersonaRecord>(dataset.users.map((u) => [u.id, u]));
  const sessions = new Map<string, Session>(dataset.sessions.map((s) => [s.id, s]));
  return {
    invoke(task, sim, unit, ctx) {
      if (task.data !== 'sessions') throw new Error(`${task.name} reads ratings, but ${dataset.name} holds sessions`);
      const session = sessions.get(unit.key);
      if (!session) throw new Error(`${dataset.name}: unit ${unit.key} names no session`);
      // A shopper without a survey row is shown as a blank persona rather than dropped: the loader already warned.
      const persona = personas.get(unit.user) ?? { id: unit.user, attributes: {}, persona: '' };
      return task.run(sim, persona, session, { ...ctx, env }, unit, dataset);
    },
  };
}

/** The task's units on this dataset, or null when the task reads the other kind of dataset. */
export function unitsFor(
  task: AnyTask,
  dataset: Dataset,
  options: Record<string, unknown>,
  rng: Parameters<AnyTask['buildUnits']>[2],
  env: TaskEnv = { recommenders: [] },
): TaskUnit[] | null {
  if (task.data === 'sessions')
    return dataset.kind === 'sessions' ? task.buildUnits(dataset, options as never, rng) : null;
  return dataset.kind === 'ratings' ? task.buildUnits(dataset, options as never, rng, env) : null;
}
