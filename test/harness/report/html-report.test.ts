import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rowAnchor } from '../../../harness/report/render-html.js';
import { PROJECT_ROOT } from '../../support/project.js';
import { runExample } from './example-runs.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env['CI'] === 'true')
  throw new Error(
    `${CHROMIUM} is missing: .ci/run installs Debian's chromium package; install it with apt-get install chromium`,
  );

describe.skipIf(!haveChromium)('leaderboard.html in headless Chromium', () => {
  it('the quickstart report at 1,400 px: loads offline, shows every column, explains every mark, one anchor per row', async () => {
    const out = mkdtempSync(join(tmpdir(), 'usersim-html-'));
    const { dir, metrics } = await runExample('quickstart', out);
    const file = join(dir, 'leaderboard.html');
    const html = readFileSync(file, 'utf8');
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
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      expect(errors).toEqual([]);
      expect(await page.locator('h1').textContent()).toBe('quickstart');
      expect(await page.locator('table').count()).toBe(1);
      // Every column is inside the window: nothing cut off, nothing to scroll to.
      const heads = await page
        .locator('thead th')
        .evaluateAll((ths) => ths.map((th) => ({ text: th.textContent, right: th.getBoundingClientRect().right })));
      expect(heads.map((h) => h.text)).toEqual([
        'Method',
        'Acc 1:1 ↑',
        'F1 1:1 ↑',
        'Acc 1:3 ↑',
        'F1 1:3 ↑',
        'Acc 1:9 ↑',
        'F1 1:9 ↑',
        'RMSE ↓',
        'MAE ↓',
        'Errors',
        'LLM calls',
        'Cost $',
      ]);
      for (const h of heads) expect(h.right, String(h.text)).toBeLessThanOrEqual(1400);
      const wrap = await page.locator('.table-wrap').evaluate((w) => [w.scrollWidth, w.clientWidth]);
      expect(wrap[0]).toBeLessThanOrEqual(wrap[1] as number);
      // Rows: labelled mock and baseline, each with its anchor and the sample-browser hook.
      expect(await page.locator('tbody tr').count()).toBe(3);
      expect(await page.locator('tbody tr.mock td').first().textContent()).toBe('zero-shot (mock)');
      expect(await page.locator('tbody tr.baseline td').first().textContent()).toBe('popularity (baseline)');
      for (const method of ['popularity', 'mf', 'zero-shot']) {
        const row = page.locator(`tr#${rowAnchor('synthetic', 2024, method)}`);
        expect(await row.count(), method).toBe(1);
        expect(
          await row.locator(`.sample-browser-hook[data-method="${method}"][data-dataset="synthetic"]`).count(),
        ).toBe(1);
      }
      // n in every value cell; the paper's value beside ours; no best mark on the mock row.
      expect(await page.locator('td .n').count()).toBe(3 * 8);
      expect(await page.locator('tr', { hasText: 'mf' }).first().textContent()).toMatch(/paper 0\.550 [✓✗]/);
      expect(await page.locator('tr.mock td.best').count()).toBe(0);
      // A legend for every marker: the notes explain the table's marks, the legend the charts'.
      const notes = (await page.locator('ul.notes li').allTextContents()).join('\n');
      expect(notes).toMatch(/^\[lo, hi\]: 95% percentile bootstrap/m);
      expect(notes).toMatch(/^\(mock\): /m);
      expect(notes).toMatch(/^paper: the value reported in /m);
      expect(notes).not.toContain('terminal');
      expect(await page.locator('.legend').textContent()).toContain("the paper's reported value");
      // One chart per (dataset, metric), plus the rating distributions.
      const metricsCount = metrics.columns.reduce((s, c) => s + c.metrics.length, 0);
      expect(await page.locator('figure svg').count()).toBe(metricsCount + 1);
      expect(await page.locator('figure[aria-label="synthetic: predicted vs true ratings"] svg').count()).toBe(1);
      const shot = join(PROJECT_ROOT, 'results', 'html-report-screenshot.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
