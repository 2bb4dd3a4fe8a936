import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LlmCache } from '../../llm/cache.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const CACHE_HELP = `usersim cache stats|export|import|prune [options]

  usersim cache stats                      Entries, size and cost by provider/model
  usersim cache export RESULTS_DIR OUT     Write the entries RESULTS_DIR used into a new
                                           file OUT: what a reviewer needs to replay the run
                                           (usersim run CONFIG --cache-only)
  usersim cache import FILE                Add FILE's entries (existing keys are kept)
  usersim cache prune [--keep RESULTS_DIR]... [--before ISO_DATE]
                                           Delete entries no kept run used / older than the date

Options:
  --cache PATH     The cache file (default .cache/llm.sqlite)`;

function keysOf(resultsDir: string): string[] {
  const p = join(resultsDir, 'cache-keys.txt');
  if (!existsSync(p))
    throw new UsageError(
      `${p} does not exist: RESULTS_DIR must be a run folder whose methods called an LLM (e.g. results/table1-preference)`,
    );
  return readFileSync(p, 'utf8').split('\n').filter(Boolean);
}

export async function cacheCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { cache: { type: 'string' }, keep: { type: 'string', multiple: true }, before: { type: 'string' } },
    'cache',
  );
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${CACHE_HELP}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const path = resolve(values.cache ?? '.cache/llm.sqlite');
  const [sub, ...args] = positionals;
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
      if (args.length !== 2) throw new UsageError('usage: usersim cache export RESULTS_DIR OUT');
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
      if (args.length !== 1) throw new UsageError('usage: usersim cache import FILE');
      const c = new LlmCache(path);
      const r = c.importFrom(resolve(args[0] as string));
      c.close();
      process.stdout.write(`added ${r.added} entries to ${path} (${r.skipped} already there)\n`);
      return EXIT.ok;
    }
    case 'prune': {
      if (!existsSync(path)) throw new UsageError(`no cache at ${path} (give --cache PATH)`);
      if (!values.keep && !values.before)
        throw new UsageError(
          'prune needs --keep RESULTS_DIR (repeatable) and/or --before ISO_DATE, so it never deletes everything by accident',
        );
      if (values.before && Number.isNaN(Date.parse(values.before)))
        throw new UsageError(`--before needs an ISO date like 2026-01-31, got "${values.before}"`);
      const keep = values.keep ? new Set(values.keep.flatMap(keysOf)) : undefined;
      const c = new LlmCache(path);
      const removed = c.prune({
        ...(keep ? { keep } : {}),
        ...(values.before ? { before: new Date(values.before).toISOString() } : {}),
      });
      c.close();
      process.stdout.write(`removed ${removed} entries from ${path}\n`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown cache subcommand "${sub}". See: usersim cache --help`);
  }
}
