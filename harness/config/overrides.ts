import { parse as parseYaml } from 'yaml';
import { ConfigError, type PathSeg } from './config-error.js';
import { isPlainObject } from './yaml-layers.js';

export interface Override {
  readonly expr: string;
  readonly path: PathSeg[];
  readonly value: unknown;
}

/** Parses `a.b.0.c=value`; the value is read as a YAML scalar or flow collection, so 3, true and [1,2] keep their types. */
export function parseOverride(expr: string): Override {
  const eq = expr.indexOf('=');
  if (eq <= 0)
    throw new ConfigError([
      {
        source: `--set ${expr}`,
        path: [],
        message: 'expected --set key.path=value (e.g. --set seed=7 or --set methods.0.factors=32)',
      },
    ]);
  const keyPart = expr.slice(0, eq).trim();
  const raw = expr.slice(eq + 1);
  const path: PathSeg[] = keyPart
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (path.length === 0)
    throw new ConfigError([{ source: `--set ${expr}`, path: [], message: 'the key path is empty' }]);
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  return { expr, path, value: value === undefined ? null : value };
}

export function applyOverride(target: Record<string, unknown>, o: Override): void {
  let node: unknown = target;
  for (let i = 0; i < o.path.length - 1; i++) {
    const seg = o.path[i] as PathSeg;
    const nextIsIndex = typeof o.path[i + 1] === 'number';
    if (Array.isArray(node) && typeof seg === 'number') {
      if (node[seg] === undefined) {
        throw new ConfigError([
          {
            source: `--set ${o.expr}`,
            path: o.path.slice(0, i + 1),
            message: `the list has ${node.length} entries; index ${seg} does not exist`,
          },
        ]);
      }
      node = node[seg];
    } else if (isPlainObject(node)) {
      const key = String(seg);
      if (node[key] === undefined) node[key] = nextIsIndex ? [] : {};
      node = node[key];
    } else {
      throw new ConfigError([
        {
          source: `--set ${o.expr}`,
          path: o.path.slice(0, i + 1),
          message: 'cannot set a key inside a value that is not a mapping or list',
        },
      ]);
    }
  }
  const last = o.path[o.path.length - 1] as PathSeg;
  if (Array.isArray(node) && typeof last === 'number') {
    // Setting one past the end appends; further would leave holes in the list.
    if (last > node.length) {
      throw new ConfigError([
        {
          source: `--set ${o.expr}`,
          path: o.path,
          message: `the list has ${node.length} entries; index ${last} does not exist (use ${node.length} to append)`,
        },
      ]);
    }
    node[last] = o.value;
  } else if (isPlainObject(node)) node[String(last)] = o.value;
  else
    throw new ConfigError([
      {
        source: `--set ${o.expr}`,
        path: o.path,
        message: 'cannot set a key inside a value that is not a mapping or list',
      },
    ]);
}
