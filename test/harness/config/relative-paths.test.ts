import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/config/config-error.js';
import { loadConfig } from '../../../harness/config/load.js';

// Regression: relative paths written in an extends: base resolved against the
// derived file's folder (configs/paper/local/* could not find ../reported/*).
describe('relative paths resolve against the file that wrote them', () => {
  const root = mkdtempSync(join(tmpdir(), 'usersim-rel-'));
  mkdirSync(join(root, 'paper/local'), { recursive: true });
  mkdirSync(join(root, 'reported'));
  writeFileSync(
    join(root, 'reported/r.yaml'),
    'source: s\ncells:\n  - { dataset: d, task: rating, method: mf, metric: rmse, value: 1 }\n',
  );
  writeFileSync(
    join(root, 'paper/base.yaml'),
    'name: base\ndatasets: [{ plugin: synthetic-ratings }]\nmethods: [{ plugin: mf }]\ntasks: [{ task: rating }]\nreport: { reported: ../reported/r.yaml }\n',
  );
  writeFileSync(
    join(root, 'paper/local/derived.yaml'),
    'extends: ../base.yaml\nname: derived\ndatasets: [{ plugin: synthetic-ratings, id: mine }]\n',
  );

  it('report.reported from the base, datasets from the derived file', async () => {
    const cfg = await loadConfig(join(root, 'paper/local/derived.yaml'));
    expect(cfg.reportedPath).toBe(join(root, 'reported/r.yaml'));
    expect(cfg.datasets[0]?.baseDir).toBe(join(root, 'paper/local'));
    expect(cfg.methods[0]?.baseDir).toBe(join(root, 'paper'));
  });

  it('a missing or malformed reported file is a config error before anything runs', async () => {
    writeFileSync(join(root, 'paper/bad.yaml'), 'extends: base.yaml\nname: bad\nreport: { reported: nope.yaml }\n');
    await expect(loadConfig(join(root, 'paper/bad.yaml'))).rejects.toThrow(ConfigError);
    writeFileSync(join(root, 'paper/broken.yaml'), 'source: s\ncells: [{ dataset: d }]\n');
    writeFileSync(join(root, 'paper/bad2.yaml'), 'extends: base.yaml\nname: bad2\nreport: { reported: broken.yaml }\n');
    await expect(loadConfig(join(root, 'paper/bad2.yaml'))).rejects.toThrow(/cells\[0\]\.task must be a string/);
  });
});
