import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LlmCache } from '../../llm/cache.js';
import type { Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

function keysOf(resultsDir: string): string[] {
  const p = join(resultsDir, 'cache-keys.txt');
  if (!existsSync(p))
    throw new UsageError(
      `${p} does not exist: RESULTS_DIR must be a run folder whose methods called an LLM (e.g. results/table1-preference)`,
    );
  return readFileSync(p, 'utf8').split('\n').filter(Boolean);
}

export async function cacheCommand(parsed: Parsed): Promise<number> {
  const path = resolve(parsed.string('cache') ?? '.cache/llm.sqlite');
  const args = parsed.positionals;
  const sub = parsed.spec.name.replace(/^cache /, '');
  switch (sub) {
    case 'stats': {
      if (!existsSync(path)) throw new UsageError(`no cache at ${path} (give --cache PATH)`);
      const c = new LlmCache(path, true);
      const s = c.stats();
      c.close();
      const lines = [`${path}: ${s.entries} entries, ${(s.bytes / 1024).toFixed(0)} KiB`];
      for (const m of s.byModel)
        lines.push(`  ${m.provider}/${m.model}: ${m.entries} entries, $${m.costUsd.toFixed(4)} when first paid`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return EXIT.ok;
    }
    case 'export': {
      if (!existsSync(path)) throw new UsageError(`no cache at ${path} (give --cache PATH)`);
      const c = new LlmCache(path, true);
      const r = c.exportKeys(keysOf(args[0] as string), resolve(args[1] as string));
      c.close();
      process.stdout.write(
        `wrote ${r.written} entries to ${args[1]}${r.missing.length ? `; ${r.missing.length} key(s) the run used are not in ${path} (e.g. ${r.missing[0]})` : ''}\n`,
      );
      return r.missing.length ? EXIT.unitErrors : EXIT.ok;
    }
    case 'import': {
      const c = new LlmCache(path);
      const r = c.importFrom(resolve(args[0] as string));
      c.close();
      process.stdout.write(`added ${r.added} entries to ${path} (${r.skipped} already there)\n`);
      return EXIT.ok;
    }
    case 'prune': {
      if (!existsSync(path)) throw new UsageError(`no cache at ${path} (give --cache PATH)`);
      const keepDirs = parsed.list('keep');
      const before = parsed.string('before');
      if (keepDirs.length === 0 && before === undefined)
        throw new UsageError(
          'prune needs --keep RESULTS_DIR (repeatable) and/or --before ISO_DATE, so it never deletes everything by accident',
        );
      if (before !== undefined && Number.isNaN(Date.parse(before)))
        throw new UsageError(`--before needs an ISO date like 2026-01-31, got "${before}"`);
      const keep = keepDirs.length > 0 ? new Set(keepDirs.flatMap(keysOf)) : undefined;
      const c = new LlmCache(path);
      const removed = c.prune({
        ...(keep ? { keep } : {}),
        ...(before !== undefined ? { before: new Date(before).toISOString() } : {}),
      });
      c.close();
      process.stdout.write(`removed ${removed} entries from ${path}\n`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown cache subcommand "${sub}". See: usersim cache --help`);
  }
}
