import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FETCH_RECORD } from '../../../harness/datasets/cache-dir.ts';
import { parseArgv } from '../../../harness/cli/args.ts';
import { configCopies, datasetsCommand } from '../../../harness/cli/commands/datasets.ts';
import { UsageError } from '../../../harness/cli/exit-codes.ts';
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
      `cache copy: present in ${join(cache, 'movielens', '100k', 'ml-100k')} (fetched 2026-11-25`,
    );
    expect(r.stdout).toMatch(
      /cache copy: partial download \(ml-1m\.zip\.part\): "usersim datasets fetch movielens --variant 1m" resumes it/,
    );
    expect(r.stdout).toContain('licence: CC-BY-4.0');
    expect(r.stdout).toContain('variants: v2, v1, kaggle');
    expect(r.stdout).toMatch(/synthetic-sessions — [^\n]*\n {2}generated locally: nothing to download/);
  });

  it('fetch: an unknown dataset or variant, or one with nothing to download, is a usage error before any network use', async () => {
    const usage = async (argv: string[]) => {
      const e = await Promise.resolve()
        .then(() => datasetsCommand(parseArgv(['datasets', ...argv])))
        .then(
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
    expect(await usage(['fetch'])).toMatch(
      /^datasets fetch needs NAME\.\.\. \(got none\)\. See: usersim datasets fetch --help$/,
    );
    expect(await usage(['get', 'movielens'])).toMatch(/unknown datasets subcommand "get"/);
    // Several names: every one is checked before any download starts; --variant only with one.
    expect(await usage(['fetch', 'movielens', 'stem'])).toMatch(/unknown dataset "stem"\. Did you mean "steam"\?/);
    expect(await usage(['fetch', 'movielens', 'steam', '--variant', '1m'])).toMatch(
      /--variant applies to one dataset, but 2 are named/,
    );
  });

  it('help names both subcommands, fetch takes several names, and the main help lists them', () => {
    const r = runCli(['datasets', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'usersim datasets fetch NAME... [--variant V] [--dir DIR] [--timeout SECONDS] [--quiet]',
    );
    expect(r.stdout).toContain('usersim datasets list [--dir DIR]');
    expect(runCli(['--help']).stdout).toContain('usersim datasets fetch NAME...');
  });

  it('list: names the path: copies that configs read, and whether each exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-cli-copies-'));
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'sub', 'a.yaml'),
      'name: a\ndatasets:\n  - { plugin: movielens, variant: 100k, path: ../data }\n  - { plugin: steam, path: ./nowhere }\n',
    );
    writeFileSync(join(dir, 'b.yaml'), 'name: b\ndatasets: [{ plugin: synthetic-ratings }]\n');
    const copies = configCopies(dir);
    expect(copies.map((c) => [c.plugin, c.variant, c.path, c.exists])).toEqual([
      ['movielens', '100k', join(dir, 'data'), true],
      ['steam', null, join(dir, 'sub', 'nowhere'), false],
    ]);
    rmSync(dir, { recursive: true, force: true });
    // The project's own configs read MovieLens-100K from ../shared: list says so, rather than "absent".
    const r = runCli(['datasets', 'list']);
    expect(r.stdout).toMatch(
      /path: copy \(100k\): \S+movielens-100k (present|ABSENT), named by (\S+, )*configs\/paper\/local\/table1-ml100k\.yaml/,
    );
  });
});
