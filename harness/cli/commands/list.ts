import type { TSchema } from '@sinclair/typebox';
import type { PluginKind } from '../../api/plugin.js';
import { loadPlugin, pluginNames } from '../../registry/registry.js';
import { didYouMean } from '../../util/suggest.js';
import type { Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

const KINDS: Record<string, PluginKind> = {
  datasets: 'dataset',
  methods: 'method',
  llms: 'llm',
  recommenders: 'recommender',
  tasks: 'task',
};

interface PropSchema {
  type?: string;
  default?: unknown;
  description?: string;
  anyOf?: Array<{ type?: string; const?: unknown }>;
}

export function describeOptions(schema: TSchema): string[] {
  const props = (schema as { properties?: Record<string, PropSchema> }).properties ?? {};
  const required = new Set((schema as { required?: string[] }).required ?? []);
  return Object.entries(props).map(([name, p]) => {
    const type = p.anyOf
      ? p.anyOf.map((b) => (b.const !== undefined ? JSON.stringify(b.const) : b.type)).join(' | ')
      : (p.type ?? 'any');
    const dflt = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : required.has(name) ? ' (required)' : '';
    return `      ${name}: ${type}${dflt}${p.description ? `  — ${p.description}` : ''}`;
  });
}

export async function listCommand(args: Parsed): Promise<number> {
  const wanted = args.positionals[0];
  if (wanted !== undefined && !(wanted in KINDS))
    throw new UsageError(
      `unknown kind "${wanted}".${didYouMean(wanted, Object.keys(KINDS))} Kinds: ${Object.keys(KINDS).join(', ')}`,
    );
  const out: string[] = [];
  for (const [plural, kind] of Object.entries(KINDS)) {
    if (wanted !== undefined && wanted !== plural) continue;
    out.push(`${plural}:`);
    for (const name of pluginNames(kind)) {
      const p = await loadPlugin(kind, name, { baseDir: process.cwd(), allowLocalPlugins: false });
      out.push(`  ${name} — ${p.description}`, ...describeOptions(p.options));
    }
    if (kind === 'method' || kind === 'task')
      out.push(`  (how each follows its original code, and where it departs: docs/protocols.md)`);
    out.push('');
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
