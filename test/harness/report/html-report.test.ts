import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { renderHtml } from '../../../harness/report/render-html.js';
import { readManifestOf } from '../../../harness/report/write-leaderboards.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { runConfig } from '../../../harness/runner/run.js';
import { PROJECT_ROOT } from '../../support/project.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env['CI'] === 'true')
  throw new Error(
    `${CHROMIUM} is missing: .ci/run installs Debian's chromium package; install it with apt-get install chromium`,
  );

describe.skipIf(!haveChromium)('leaderboard.html in headless Chromium', () => {
  it('loads offline without console errors and shows the tables, the CI charts, the paper markers and the rating distributions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-html-'));
    writeFileSync(
      join(dir, 'reported.yaml'),
      'source: test\ncells:\n  - { dataset: syn, task: rating, method: mf, metric: rmse, value: 1.0 }\n',
    );
    writeFileSync(
      join(dir, 'c.yaml'),
      `name: html
llm: { plugin: offline }
datasets: [{ plugin: synthetic-ratings, id: syn, users: 40, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }]
methods: [{ plugin: popularity }, { plugin: mf, factors: 4, epochs: 5 }, { plugin: zero-shot }]
tasks: [{ task: preference-discrimination, ratios: [1, 3] }, { task: rating }]
report: { baseline: popularity, reported: reported.yaml, B: 1000 }
`,
    );
    const r = await runConfig(await loadConfig(join(dir, 'c.yaml')), { log: { info() {}, warn() {} }, cwd: dir });
    const html = await renderHtml(r.metrics as MetricsFile, { decimals: 3, manifest: readManifestOf(r.dir) });
    const file = join(r.dir, 'leaderboard.html');
    writeFileSync(file, html);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      expect(errors).toEqual([]);
      expect(await page.locator('h1').textContent()).toBe('html');
      expect(await page.locator('table').count()).toBe(1);
      expect(await page.locator('tbody tr').count()).toBe(3);
      expect(await page.locator('td.best').count()).toBeGreaterThan(0);
      const rowText = await page.locator('tbody tr', { hasText: 'mf' }).first().textContent();
      expect(rowText).toContain('(paper 1.000');
      // One chart per (dataset, metric) — 4 discrimination metrics + RMSE + MAE — plus the rating distributions.
      expect(await page.locator('figure svg').count()).toBe(7);
      expect(await page.locator('figure[aria-label="syn: predicted vs true ratings"] svg').count()).toBe(1);
      const svgText = await page.locator('figure svg').first().innerHTML();
      expect(svgText).toContain('<path');
      const shot = join(PROJECT_ROOT, 'results', 'html-report-screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});
