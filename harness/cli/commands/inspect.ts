import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CallRecord } from '../../llm/call-record.js';
import { LlmCache } from '../../llm/cache.js';
import { readManifest } from '../../results/manifest.js';
import type { PredictionLine } from '../../results/prediction-line.js';
import { predictionFiles, readPredictionLines as readLines } from '../../results/prediction-files.js';
import type { Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

interface Found {
  readonly file: string;
  readonly dataset: string;
  readonly task: string;
  readonly method: string;
  readonly line: PredictionLine;
}

const indent = (text: string, by = '      ') =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

const short = (v: unknown, max = 600): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
};

function describeCall(c: CallRecord, k: number, cache: LlmCache | null): string {
  const flags = [
    c.cached ? 'cached' : 'called',
    `attempt ${c.attempt}`,
    c.repair ? 'repair turn' : null,
    c.json ? `json: ${c.json}` : null,
    c.finish ? `finish: ${c.finish}` : null,
  ].filter(Boolean);
  const head = `  call ${k + 1} · ${c.stage} · ${flags.join(', ')} · ${c.usage.input} in / ${c.usage.output} out tokens, $${c.costUsd.toFixed(6)}`;
  const parts = [head, `    key ${c.key}`];
  if (c.invalid) parts.push(`    refused: ${c.invalid}`);
  const e = cache?.get(c.key);
  if (!e) {
    parts.push('    (not in the cache: its messages and reply cannot be shown)');
    return parts.join('\n');
  }
  try {
    const material = JSON.parse(e.request) as { messages?: Array<{ role: string; content: string }> };
    parts.push('    messages:');
    for (const m of material.messages ?? []) parts.push(`    - ${m.role}:\n${indent(m.content)}`);
  } catch {
    parts.push('    messages: (unreadable request record)');
  }
  parts.push(`    reply${e.valid === false ? ' (invalid)' : ''}:\n${indent(e.text)}`);
  return parts.join('\n');
}

function describeUnit(f: Found, cache: LlmCache | null, stage: string | undefined): string {
  const l = f.line;
  const out = [
    `unit ${l.id} · ${f.method} / ${f.task} on ${f.dataset} · user ${l.user} · key ${l.unit}`,
    `  items: ${short(l.items, 300)}`,
    `  gold: ${short(l.gold, 300)}`,
  ];
  const calls = (l.calls ?? []).filter((c) => !stage || c.stage.includes(stage));
  out.push(
    `  LLM: ${l.usage.calls} call(s) (${l.usage.cacheHits} cached), ${l.usage.input} in / ${l.usage.output} out tokens, $${l.usage.costUsd.toFixed(6)}`,
  );
  calls.forEach((c, k) => out.push(describeCall(c, k, cache)));
  if (l.error) {
    out.push(`  error (${l.error.kind}): ${l.error.message}`);
    if (l.error.stage) out.push(`    stage: ${l.error.stage}`);
    if (l.error.validation) out.push(`    validation: ${l.error.validation}`);
    if (l.error.reply !== undefined) out.push(`    raw reply:\n${indent(l.error.reply)}`);
  } else {
    out.push(`  answer: ${short(l.answer)}`);
    out.push(`  scores: ${short(l.scores)}`);
  }
  return out.join('\n');
}

export async function inspectCommand(args: Parsed): Promise<number> {
  const values = {
    method: args.string('method'),
    unit: args.string('unit'),
    errors: args.flag('errors'),
    stage: args.string('stage'),
    limit: args.string('limit'),
    cache: args.string('cache'),
  };
  const positionals = args.positionals;
  const dir = resolve(positionals[0] as string);
  const files = predictionFiles(dir);
  if (files.length === 0)
    throw new UsageError(
      `${dir} holds no predictions/: give a run folder such as results/<name> (see: usersim inspect --help)`,
    );
  const limit = values.limit === undefined ? 3 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit needs a positive whole number, got "${values.limit}"`);
  const methods = [...new Set(files.map((f) => f.method))];
  if (values.method && !methods.includes(values.method))
    throw new UsageError(`no method "${values.method}" in ${dir}: it has ${methods.join(', ')}`);

  const found: Found[] = [];
  for (const f of files) {
    if (values.method && f.method !== values.method) continue;
    for (const line of readLines(f.file)) {
      if (values.unit && !line.id.startsWith(values.unit) && line.unit !== values.unit) continue;
      if (values.errors && !line.error) continue;
      if (
        values.stage &&
        !(line.calls ?? []).some((c) => c.stage.includes(values.stage as string)) &&
        !line.error?.stage?.includes(values.stage)
      )
        continue;
      found.push({ ...f, line });
    }
  }
  if (found.length === 0) {
    process.stdout.write('no unit matches\n');
    return EXIT.unitErrors;
  }

  const manifest = readManifest(dir);
  const recorded = manifest?.llmUsage?.['cache'];
  const cachePath = resolve(values.cache ?? (typeof recorded === 'string' ? recorded : '.cache/llm.sqlite'));
  const cache = existsSync(cachePath) ? new LlmCache(cachePath, true) : null;
  try {
    const shown = found.slice(0, limit);
    const parts = shown.map((f) => describeUnit(f, cache, values.stage));
    if (!cache) parts.unshift(`(no LLM cache at ${cachePath}: messages and replies are not shown; give --cache PATH)`);
    if (found.length > shown.length) {
      parts.push(
        `${found.length} units match; ${shown.length} shown. The others (give --unit ID, or --limit N):\n` +
          found
            .slice(shown.length, shown.length + 50)
            .map(
              (f) =>
                `  ${f.line.id}  ${f.method} / ${f.task} on ${f.dataset}${f.line.error ? `  error (${f.line.error.kind})` : ''}`,
            )
            .join('\n') +
          (found.length > shown.length + 50 ? `\n  … and ${found.length - shown.length - 50} more` : ''),
      );
    }
    process.stdout.write(`${parts.join('\n\n')}\n`);
  } finally {
    cache?.close();
  }
  return EXIT.ok;
}
