import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { BASE_YAML, configError, lines, TempDir } from './fixtures.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

let n = 0;
async function load(yaml: string) {
  return loadConfig(tmp.write(`rec-${++n}.yaml`, yaml), { displayBase: tmp.root });
}

const WITH_RECS = BASE_YAML.replace(
  'tasks:\n',
  'recommenders:\n  - { plugin: random }\n  - { plugin: itemknn, neighbours: 20 }\n  - { plugin: pop, id: most-popular }\ntasks:\n  - { task: recommender-evaluation }\n',
);

describe('recommenders in a config', () => {
  it("loads them with ids and validated options, and fills the task's recommenders with every id", async () => {
    const cfg = await load(WITH_RECS);
    expect(cfg.recommenders.map((r) => [r.id, r.plugin.name])).toEqual([
      ['random', 'random'],
      ['itemknn', 'itemknn'],
      ['most-popular', 'pop'],
    ]);
    expect(cfg.recommenders[1]?.options).toMatchObject({ neighbours: 20 });
    const task = cfg.tasks.find((t) => t.task.name === 'recommender-evaluation');
    expect(task?.options).toMatchObject({
      recommenders: ['random', 'itemknn', 'most-popular'],
      pageSize: 4,
      maxPages: 5,
      k: 10,
    });
  });

  it('an evaluation without recommenders, an unknown id, an unknown plugin and a bad option are errors with their places', async () => {
    const none = await configError(
      load(BASE_YAML.replace('tasks:\n', 'tasks:\n  - { task: recommender-evaluation }\n')),
    );
    expect(lines(none)[0]).toMatch(
      /tasks\[0\]: this task puts recommenders in front of the simulated users: add a top-level "recommenders:" list/,
    );
    const unknown = await configError(
      load(
        WITH_RECS.replace(
          '{ task: recommender-evaluation }',
          '{ task: recommender-evaluation, recommenders: [itemnn] }',
        ),
      ),
    );
    expect(lines(unknown)).toEqual([
      expect.stringMatching(
        /tasks\[0\]\.recommenders\[0\]: "itemnn" is not a recommender id of this config\. Did you mean "itemknn"\? Configured: random, itemknn, most-popular/,
      ),
    ]);
    const plugin = await configError(load(WITH_RECS.replace('{ plugin: random }', '{ plugin: randm }')));
    expect(lines(plugin)[0]).toMatch(/recommenders\[0\]\.plugin: .*randm/);
    const option = await configError(load(WITH_RECS.replace('neighbours: 20', 'neighbors: 20')));
    expect(lines(option)[0]).toMatch(/recommenders\[1\]/);
    const twice = await configError(
      load(WITH_RECS.replace('{ plugin: pop, id: most-popular }', '{ plugin: pop, id: random }')),
    );
    expect(lines(twice)[0]).toMatch(/"random" appears twice in recommenders/);
  });
});
