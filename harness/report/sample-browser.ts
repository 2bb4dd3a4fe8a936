import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LlmCache } from '../llm/cache.js';
import type { Manifest } from '../results/manifest.js';
import { predictionFiles, readPredictionLines } from '../results/prediction-files.js';
import type { PredictionLine } from '../results/prediction-line.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s);

/**
 * The HTML report's sample browser: per cell a few units, errors first, each
 * with its LLM calls (stage, attempt, cached, whether the JSON was mended or
 * refused) and, from the LLM cache, the prompts and replies. Read from the
 * results dir's prediction files (not from metrics.json): an HTML fragment,
 * '' when no unit made an LLM call. Without the cache file the calls are
 * listed without their texts.
 */
export function sampleBrowserHtml(
  dir: string,
  opts: { readonly perCell?: number; readonly manifest?: Manifest | null; readonly cachePath?: string } = {},
): string {
  const perCell = opts.perCell ?? 3;
  const recorded = opts.manifest?.llmUsage?.['cache'];
  const cachePath = opts.cachePath ?? (typeof recorded === 'string' ? recorded : null);
  const cache = cachePath && existsSync(resolve(cachePath)) ? new LlmCache(resolve(cachePath), true) : null;
  const parts: string[] = [];
  try {
    for (const f of predictionFiles(dir)) {
      const lines = readPredictionLines(f.file).filter((l) => (l.calls?.length ?? 0) > 0 || l.error);
      if (!lines.some((l) => (l.calls?.length ?? 0) > 0)) continue;
      const errors = lines.filter((l) => l.error);
      const picked = [...errors, ...lines.filter((l) => !l.error)].slice(0, perCell);
      parts.push(
        `<h3>${esc(`${f.method} / ${f.task} on ${f.dataset}`)} <small>${lines.length} units with LLM calls, ${errors.length} with an error; ${picked.length} shown</small></h3>`,
      );
      for (const l of picked) parts.push(unitHtml(l, cache));
    }
  } finally {
    cache?.close();
  }
  if (parts.length === 0) return '';
  return `<h2>Sample units</h2><p class="note">A few units per cell, errors first, with the prompts and replies of their LLM calls (from the LLM cache). For any unit: usersim inspect RESULTS_DIR --unit ID.</p>\n${parts.join('\n')}`;
}

function unitHtml(l: PredictionLine, cache: LlmCache | null): string {
  const head = l.error
    ? `<span class="err">${esc(l.error.kind)} error</span>: ${esc(clip(l.error.message, 400))}`
    : `scores ${esc(JSON.stringify(l.scores))}`;
  const out = [
    `<details class="unit"${l.error ? ' open' : ''}><summary>unit ${esc(l.id)} · user ${esc(l.user)} · ${head}</summary>`,
  ];
  if (l.error?.reply !== undefined)
    out.push(
      `<p>stage ${esc(l.error.stage ?? '?')}; refused: ${esc(l.error.validation ?? '')}</p><pre>${esc(clip(l.error.reply, 4000))}</pre>`,
    );
  if (!l.error) out.push(`<p>answer</p><pre>${esc(clip(JSON.stringify(l.answer), 2000))}</pre>`);
  for (const [k, c] of (l.calls ?? []).entries()) {
    const flags = [
      c.cached ? 'cached' : 'called',
      `attempt ${c.attempt}`,
      c.repair ? 'repair turn' : '',
      c.json ? `json ${c.json}` : '',
      c.finish ? `finish ${c.finish}` : '',
    ].filter(Boolean);
    out.push(`<details><summary>call ${k + 1}: ${esc(c.stage)} (${esc(flags.join(', '))})</summary>`);
    if (c.invalid) out.push(`<p class="err">${esc(c.invalid)}</p>`);
    const e = cache?.get(c.key);
    if (e) {
      let messages: Array<{ role: string; content: string }> = [];
      try {
        messages = (JSON.parse(e.request) as { messages?: typeof messages }).messages ?? [];
      } catch {
        // an unreadable request record: show the reply only
      }
      for (const m of messages) out.push(`<p>${esc(m.role)}</p><pre>${esc(clip(m.content, 6000))}</pre>`);
      out.push(`<p>reply${e.valid === false ? ' (invalid)' : ''}</p><pre>${esc(clip(e.text, 6000))}</pre>`);
    } else out.push('<p class="note">(not in the LLM cache: texts not shown)</p>');
    out.push('</details>');
  }
  out.push('</details>');
  return out.join('\n');
}
