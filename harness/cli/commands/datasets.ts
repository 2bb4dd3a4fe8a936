import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { datasetsCacheDir, readFetchRecord, variantDir } from '../../datasets/cache-dir.js';
import type { DatasetDownload } from '../../datasets/download-spec.js';
import { fetchDataset, fileName } from '../../datasets/fetch-dataset.js';
import { progressBar } from '../../datasets/progress-bar.js';
import type { DatasetPlugin } from '../../api/dataset.js';
import { loadPlugin, pluginNames } from '../../registry/registry.js';
import { didYouMean } from '../../util/suggest.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { stderrLogger } from '../logger.js';

export const DATASETS_HELP = `usersim datasets list [--dir DIR]
usersim datasets fetch NAME [--variant V] [--dir DIR] [--timeout SECONDS]

list   Every dataset plugin, its variants, licence terms, and whether a
       fetched copy is present in the cache.
fetch  Downloads the official files of one dataset variant into
       DIR/NAME/VARIANT/ (default DIR: datasets/cache, or $USERSIM_DATASETS_DIR):
       progress on stderr, resumes an interrupted download, verifies the
       published checksum, unpacks zip/gzip and records the checksums.
       Without --variant: the plugin's default variant.
       A config then needs no path: for that dataset (or give the folder
       printed at the end as path:).

Options:
  --variant V         Which variant (see "usersim datasets list")
  --dir DIR           The datasets cache folder
  --timeout SECONDS   Give up connecting after this long (default 10)
  -h, --help          This help

Exit codes: 0 done, 2 usage error or the download failed (the message says how to get the file by hand).`;

export async function datasetsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { variant: { type: 'string' }, dir: { type: 'string' }, timeout: { type: 'string' }, quiet: { type: 'boolean' } },
    'datasets',
  );
  if (values.help) {
    process.stdout.write(`${DATASETS_HELP}\n`);
    return EXIT.ok;
  }
  const [sub, ...rest] = positionals;
  const cacheDir = values.dir ? resolve(values.dir) : datasetsCacheDir();
  if (sub === 'list') {
    if (rest.length > 0)
      throw new UsageError(
        `usersim datasets list takes no argument (got ${rest.join(' ')}). See: usersim datasets --help`,
      );
    process.stdout.write(`${(await listDatasets(cacheDir)).join('\n')}\n`);
    return EXIT.ok;
  }
  if (sub === 'fetch') {
    if (rest.length !== 1)
      throw new UsageError('usersim datasets fetch needs exactly one dataset NAME. See: usersim datasets --help');
    const timeout = values.timeout === undefined ? 10 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new UsageError(`--timeout needs a positive number of seconds, got "${values.timeout}"`);
    const plugin = await datasetPlugin(rest[0] as string);
    const download = chooseDownload(plugin, values.variant);
    const log = stderrLogger(values.quiet === true);
    log.info(`fetching ${plugin.name} ${download.variant} into ${variantDir(cacheDir, plugin.name, download.variant)}`);
    log.info(`licence: ${download.licence}`);
    const out = await fetchDataset({
      plugin: plugin.name,
      download,
      cacheDir,
      log,
      connectTimeoutMs: timeout * 1000,
      ...(values.quiet === true ? {} : { progress: (label: string) => progressBar(label) }),
    });
    process.stdout.write(
      `${plugin.name} ${download.variant}: ready in ${out.root}\n` +
        `A config may omit path: for it (when run from ${process.cwd()}${values.dir ? ` with USERSIM_DATASETS_DIR=${cacheDir}` : ''}), or give\n` +
        `  path: ${out.root}\n`,
    );
    return EXIT.ok;
  }
  if (sub === undefined)
    throw new UsageError('usersim datasets needs a subcommand: list or fetch. See: usersim datasets --help');
  throw new UsageError(
    `unknown datasets subcommand "${sub}".${didYouMean(sub, ['list', 'fetch'])} See: usersim datasets --help`,
  );
}

async function datasetPlugin(name: string): Promise<DatasetPlugin> {
  const names = pluginNames('dataset');
  if (!names.includes(name))
    throw new UsageError(`unknown dataset "${name}".${didYouMean(name, names)} Datasets: ${names.join(', ')}`);
  return loadPlugin('dataset', name, { baseDir: process.cwd(), allowLocalPlugins: false });
}

/** The variant values a plugin's options accept (its `variant` enum), in schema order. */
export function variantsOf(plugin: DatasetPlugin): string[] {
  const prop = (
    plugin.options as { properties?: Record<string, { anyOf?: Array<{ const?: unknown }>; enum?: unknown[] }> }
  ).properties?.['variant'];
  const fromSchema = (prop?.anyOf?.map((b) => b.const) ?? prop?.enum ?? []).filter(
    (v): v is string => typeof v === 'string',
  );
  const fromDownloads = (plugin.downloads ?? []).map((d) => d.variant).filter((v) => !fromSchema.includes(v));
  return [...fromSchema, ...fromDownloads];
}

function defaultVariant(plugin: DatasetPlugin): string | undefined {
  const prop = (plugin.options as { properties?: Record<string, { default?: unknown }> }).properties?.['variant'];
  return typeof prop?.default === 'string' ? prop.default : undefined;
}

function chooseDownload(plugin: DatasetPlugin, variant: string | undefined): DatasetDownload {
  const downloads = plugin.downloads ?? [];
  if (downloads.length === 0) throw new UsageError(`${plugin.name} has nothing to download (${plugin.description})`);
  const wanted =
    variant ??
    (downloads.some((d) => d.variant === defaultVariant(plugin)) ? defaultVariant(plugin) : downloads[0]?.variant);
  const d = downloads.find((x) => x.variant === wanted);
  if (!d) {
    const avail = downloads.map((x) => x.variant);
    throw new UsageError(
      `${plugin.name} has no download for variant "${wanted}".${didYouMean(String(wanted), avail)} Downloadable variants: ${avail.join(', ')}`,
    );
  }
  return d;
}

/** The lines of `usersim datasets list`. */
export async function listDatasets(cacheDir: string): Promise<string[]> {
  const out: string[] = [`datasets (cache: ${shown(cacheDir)}):`];
  for (const name of pluginNames('dataset')) {
    const plugin = await loadPlugin('dataset', name, { baseDir: process.cwd(), allowLocalPlugins: false });
    out.push('', `${name} — ${plugin.description}`);
    const variants = variantsOf(plugin);
    if (variants.length > 0) out.push(`  variants: ${variants.join(', ')}`);
    const downloads = plugin.downloads ?? [];
    if (downloads.length === 0) {
      out.push('  generated locally: nothing to download');
      continue;
    }
    for (const d of downloads) {
      out.push(`  ${d.variant}: ${d.description}`);
      out.push(`    licence: ${d.licence}`);
      for (const f of d.files) {
        out.push(
          `    file: ${f.url}  ${f.checksum ? `${f.checksum.algorithm} ${f.checksum.value.slice(0, 12)}… (${f.checksum.source})` : 'no published checksum'}`,
        );
      }
      out.push(`    local copy: ${localCopyStatus(cacheDir, name, d)}`);
    }
  }
  return out;
}

function localCopyStatus(cacheDir: string, plugin: string, d: DatasetDownload): string {
  const dir = variantDir(cacheDir, plugin, d.variant);
  const record = readFetchRecord(dir);
  if (record) {
    const root = join(dir, d.root);
    return existsSync(root)
      ? `present in ${shown(root)} (fetched ${record.fetchedAt.slice(0, 10)}, ${Object.keys(record.files).length} file(s) checked)`
      : `record found but ${shown(root)} is missing: fetch again`;
  }
  if (!existsSync(dir)) return 'absent';
  const parts = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.part'));
  if (parts.length > 0)
    return `partial download (${parts.join(', ')}): "usersim datasets fetch ${plugin} --variant ${d.variant}" resumes it`;
  const have = d.files.filter((f) => existsSync(join(dir, f.folder ?? '', fileName(f))));
  return have.length > 0
    ? `${have.length}/${d.files.length} file(s) present but not verified: run fetch to verify them`
    : 'absent';
}

function shown(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}
