import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FETCH_RECORD } from '../../../harness/datasets/cache-dir.ts';
import { datasetsCommand } from '../../../harness/cli/commands/datasets.ts';
import { UsageError } from '../../../harness/cli/exit-codes.ts';
import { CLI } from '../../support/project.ts';
import { runCli } from './run-cli.ts';

/** `usersim datasets …` as a user runs it; nothing here downloads (no test contacts the internet). */
const cache = mkdtempSync(join(tmpdir(), 'usersim-cli-datasets-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('usersim datasets', () => {
  it('list: every dataset with variants, licence terms and whether a copy is in the cache', () => {
    // A fetched MovieLens-100K and a half-downloaded ML-1M.
    mkdirSync(join(cache, 'movielens', '100k', 'ml-100k'), { recursive: true });
    writeFileSync(
      join(cache, 'movielens', '100k', FETCH_RECORD),
      JSON.stringify({
        dataset: 'movielens',
        variant: '100k',
        fetchedAt: '2026-11-25T10:00:00.000Z',
        root: 'ml-100k',
        files: { 'ml-100k.zip': {} },
        unpacked: [],
      }),
    );
    mkdirSync(join(cache, 'movielens', '1m'), { recursive: true });
    writeFileSync(join(cache, 'movielens', '1m', 'ml-1m.zip.part'), 'partial');
    const saved = process.env['USERSIM_DATASETS_DIR'];
    process.env['USERSIM_DATASETS_DIR'] = cache;
    let r;
    try {
      r = runCli(['datasets', 'list']);
    } finally {
      if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
      else process.env['USERSIM_DATASETS_DIR'] = saved;
    }
    expect(r.status).toBe(0);
    for (const name of ['amazon-books', 'movielens', 'opera', 'steam', 'synthetic-ratings', 'synthetic-sessions'])
      expect(r.stdout).toMatch(new RegExp(`^${name} — `, 'm'));
    expect(r.stdout).toContain('variants: 100k, 1m, latest-small');
    expect(r.stdout).toContain('licence: GroupLens: research use only; no redistribution');
    expect(r.stdout).toContain(
      `local copy: present in ${join(cache, 'movielens', '100k', 'ml-100k')} (fetched 2026-11-25`,
    );
    expect(r.stdout).toMatch(
      /local copy: partial download \(ml-1m\.zip\.part\): "usersim datasets fetch movielens --variant 1m" resumes it/,
    );
    expect(r.stdout).toContain('licence: CC-BY-4.0');
    expect(r.stdout).toContain('variants: v2, v1, kaggle');
    expect(r.stdout).toMatch(/synthetic-sessions — [^\n]*\n {2}generated locally: nothing to download/);
  });

  it('fetch: an unknown dataset or variant, or one with nothing to download, is a usage error before any network use', async () => {
    const usage = async (argv: string[]) => {
      const e = await datasetsCommand(argv).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    };
    expect(await usage(['fetch', 'movielen'])).toMatch(/unknown dataset "movielen"\. Did you mean "movielens"\?/);
    expect(await usage(['fetch', 'movielens', '--variant', '10m'])).toMatch(
      /no download for variant "10m".*Downloadable variants: 100k, 1m, latest-small/,
    );
    expect(await usage(['fetch', 'synthetic-ratings'])).toMatch(/synthetic-ratings has nothing to download/);
    expect(await usage(['fetch'])).toMatch(/needs exactly one dataset NAME/);
    expect(await usage(['get', 'movielens'])).toMatch(/unknown datasets subcommand "get"/);
  });

  it('help names both subcommands and the main help lists the command', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      expect(await datasetsCommand(['--help'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join('')).toMatch(/usersim datasets fetch NAME \[--variant V\] \[--dir DIR\]/);
    expect(readFileSync(CLI, 'utf8')).toMatch(/usersim datasets list \| fetch NAME/);
  });
});
