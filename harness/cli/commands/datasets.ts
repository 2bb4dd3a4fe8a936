import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { datasetsCacheDir, readFetchRecord, variantDir } from '../../datasets/cache-dir.js';
import type { DatasetDownload } from '../../datasets/download-spec.js';
import { fetchDataset, fileName } from '../../datasets/fetch-dataset.js';
import { progressBar } from '../../datasets/progress-bar.js';
import type { DatasetPlugin } from '../../api/dataset.js';
import { loadPlugin, pluginNames } from '../../registry/registry.js';
import { didYouMean } from '../../util/suggest.js';
import { numberFlag, type Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { stderrLogger } from '../logger.js';

export async function datasetsCommand(args: Parsed): Promise<number> {
  const dirFlag = args.string('dir');
  const cacheDir = dirFlag ? resolve(dirFlag) : datasetsCacheDir();
  if (args.spec.name === 'datasets list') {
    process.stdout.write(`${(await listDatasets(cacheDir)).join('\n')}\n`);
    return EXIT.ok;
  }
  const names = args.positionals;
  const variant = args.string('variant');
  if (variant !== undefined && names.length > 1)
    throw new UsageError(
      `--variant applies to one dataset, but ${names.length} are named (${names.join(' ')}): fetch them one by one to choose variants`,
    );
  const timeout = numberFlag(args, 'timeout', { min: Number.MIN_VALUE, what: 'a positive number of seconds' }) ?? 10;
  const quiet = args.flag('quiet');
  // Every name and variant is checked before the first download starts.
  const wanted: Array<{ plugin: DatasetPlugin; download: DatasetDownload }> = [];
  for (const name of names) {
    const plugin = await datasetPlugin(name);
    wanted.push({ plugin, download: chooseDownload(plugin, variant) });
  }
  const log = stderrLogger(quiet);
  for (const { plugin, download } of wanted) {
    log.info(`fetching ${plugin.name} ${download.variant} into ${variantDir(cacheDir, plugin.name, download.variant)}`);
    log.info(`licence: ${download.licence}`);
    const out = await fetchDataset({
      plugin: plugin.name,
      download,
      cacheDir,
      log,
      connectTimeoutMs: timeout * 1000,
      ...(quiet ? {} : { progress: (label: string) => progressBar(label) }),
    });
    process.stdout.write(
      `${plugin.name} ${download.variant}: ready in ${out.root}\n` +
        `A config may omit path: for it (when run from ${process.cwd()}${dirFlag ? ` with USERSIM_DATASETS_DIR=${cacheDir}` : ''}), or give\n` +
        `  path: ${out.root}\n`,
    );
  }
  return EXIT.ok;
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

/** A local copy a config reads through `path:`. */
export interface ConfigCopy {
  readonly config: string;
  readonly plugin: string;
  readonly variant: string | null;
  readonly path: string;
  readonly exists: boolean;
}

/**
 * The `path:` of every `datasets:` entry in the YAML files under `dir`,
 * resolved against the file that names it. Each file is read as written: an
 * entry that a config inherits through `extends` is listed under the file it
 * is written in.
 */
export function configCopies(dir: string): ConfigCopy[] {
  if (!existsSync(dir)) return [];
  const out: ConfigCopy[] = [];
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const rel of files) {
    const file = join(dir, rel);
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'));
    } catch {
      continue; // not this command's business: usersim validate names the problem
    }
    const datasets = (doc as { datasets?: unknown } | null)?.datasets;
    if (!Array.isArray(datasets)) continue;
    for (const d of datasets as unknown[]) {
      const e = d as { plugin?: unknown; path?: unknown; variant?: unknown } | null;
      if (typeof e?.plugin !== 'string' || typeof e.path !== 'string') continue;
      const path = resolve(dirname(file), e.path);
      out.push({
        config: file,
        plugin: e.plugin,
        variant: typeof e.variant === 'string' ? e.variant : null,
        path,
        exists: existsSync(path),
      });
    }
  }
  return out;
}

/** The lines of `usersim datasets list`. */
export async function listDatasets(cacheDir: string, configsDir = join(process.cwd(), 'configs')): Promise<string[]> {
  const copies = configCopies(configsDir);
  const out: string[] = [
    `datasets (cache: ${shown(cacheDir)}; path: copies: the datasets: entries of ${shown(configsDir)}/**/*.yaml):`,
  ];
  for (const name of pluginNames('dataset')) {
    const plugin = await loadPlugin('dataset', name, { baseDir: process.cwd(), allowLocalPlugins: false });
    out.push('', `${name} — ${plugin.description}`);
    const variants = variantsOf(plugin);
    if (variants.length > 0) out.push(`  variants: ${variants.join(', ')}`);
    const seen = new Set<string>();
    for (const c of copies.filter((x) => x.plugin === name)) {
      const key = `${c.variant}|${c.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const users = copies
        .filter((x) => x.plugin === name && `${x.variant}|${x.path}` === key)
        .map((x) => shown(x.config));
      const named = [...new Set(users)];
      out.push(
        `  path: copy${c.variant ? ` (${c.variant})` : ''}: ${shown(c.path)} ${c.exists ? 'present' : 'ABSENT'}, named by ${named.join(', ')}`,
      );
    }
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
      out.push(`    cache copy: ${localCopyStatus(cacheDir, name, d)}`);
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
