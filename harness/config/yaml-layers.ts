import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, type ConfigIssue, type PathSeg } from './config-error.js';

/** One YAML file of an `extends:` chain, kept with its parse tree so errors can name lines. */
export interface Layer {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: Record<string, unknown>;
}

/** Bounds the expansion of YAML aliases (a "billion laughs" file stops here). */
const MAX_ALIAS_COUNT = 100;

export function readLayers(file: string, displayBase: string, chain: string[] = []): Layer[] {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new ConfigError([
      {
        source: display(file, displayBase),
        path: [],
        message: `config file not found${chain.length ? ` (named in extends: of ${display(chain[chain.length - 1] as string, displayBase)})` : ''}`,
      },
    ]);
  }
  const text = readFileSync(real, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true, strict: true });
  const source = display(file, displayBase);
  const issues: ConfigIssue[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0];
    issues.push({
      source,
      line: pos?.line,
      col: pos?.col,
      path: [],
      message: `YAML: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}${e.code === 'DUPLICATE_KEY' ? ' (each key may appear once in a mapping)' : ''}`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new ConfigError([
      {
        source,
        path: [],
        message: `YAML: ${(e as Error).message} (aliases are limited to ${MAX_ALIAS_COUNT} expansions)`,
      },
    ]);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([
      { source, line: 1, col: 1, path: [], message: 'the config must be a YAML mapping (key: value lines)' },
    ]);
  }
  const layer: Layer = { file: real, doc, lines, data: data as Record<string, unknown> };
  const ext = layer.data['extends'];
  if (ext === undefined) return [layer];
  if (typeof ext !== 'string') {
    const pos = locateIn(layer, ['extends']);
    throw new ConfigError([
      { source, ...pos, path: ['extends'], message: 'extends: must be a relative path to another config file' },
    ]);
  }
  // A missing or cyclic base is blamed on the extends: line that names it.
  const at = { source, ...locateIn(layer, ['extends']), path: ['extends'] };
  let base: string;
  try {
    base = realpathSync(resolve(dirname(real), ext));
  } catch {
    throw new ConfigError([
      {
        ...at,
        message: `${display(resolve(dirname(real), ext), displayBase)} does not exist (the path is relative to ${source}): fix the path or remove extends:`,
      },
    ]);
  }
  const seen = [...chain, real];
  if (seen.includes(base))
    throw new ConfigError([
      {
        ...at,
        message: `cycle: ${[...seen, base].map((f) => display(f, displayBase)).join(' → ')}: remove one of these extends:`,
      },
    ]);
  return [layer, ...readLayers(base, displayBase, seen)];
}

function display(file: string, base: string): string {
  const abs = resolve(file);
  return abs.startsWith(base + '/') ? abs.slice(base.length + 1) : abs;
}

export function displayName(layer: Layer, base: string): string {
  return display(layer.file, base);
}

/** Deep merge: mappings merge key by key, the derived layer wins; lists and scalars are replaced. */
export function mergeLayers(layers: readonly Layer[]): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const layer of [...layers].reverse())
    merged = deepMerge(merged, structuredClone(layer.data)) as Record<string, unknown>;
  delete merged['extends'];
  return merged;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Line and column of a path in one layer: the key itself when `key` is set
 * (for "unknown key" errors), else the value; undefined if the layer lacks it.
 */
export function locateIn(
  layer: Layer,
  path: readonly PathSeg[],
  key = false,
): { line: number; col: number } | undefined {
  let node: unknown = layer.doc.contents;
  let keyNode: unknown = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      keyNode = null;
      node = node.items[seg];
      if (node === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  const target = key && keyNode ? keyNode : node;
  const range = (target as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  return layer.lines.linePos(range[0]);
}
