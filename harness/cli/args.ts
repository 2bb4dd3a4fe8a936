import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '../util/suggest.js';
import { UsageError } from './exit-codes.js';
import { COMMANDS, type CommandSpec } from './spec.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's arguments after parsing against its spec. */
export interface Parsed {
  readonly spec: CommandSpec;
  /** The arguments after the command (and subcommand) name, as given. */
  readonly argv: readonly string[];
  readonly positionals: readonly string[];
  readonly help: boolean;
  /** A flag's value; asking for a flag the spec does not declare is a bug, so it throws. */
  string(name: string): string | undefined;
  flag(name: string): boolean;
  list(name: string): string[];
}

/** The node:util parseArgs options a spec declares: what the parser accepts, and all it accepts. */
export function parserOptions(spec: CommandSpec): Options {
  const options: Options = { help: { type: 'boolean', short: 'h' } };
  for (const f of spec.flags) {
    options[f.name] = {
      type: f.value ? 'string' : 'boolean',
      ...(f.short ? { short: f.short } : {}),
      ...(f.repeatable ? { multiple: true } : {}),
    };
  }
  return options;
}

const usage = (spec: CommandSpec, message: string) => new UsageError(`${message}. See: usersim ${spec.name} --help`);

/** node:util parseArgs in strict mode, driven by the spec; every mistake is a one-line UsageError. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): Parsed {
  const options = parserOptions(spec);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs may explain over several lines; a usage error is one.
    const msg = (e as Error).message
      .replace(/\. To specify.*$/s, '')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.+$/, '');
    const unknown = /Unknown option '(--?[^']+)'/.exec(msg)?.[1];
    const hint = unknown
      ? didYouMean(
          unknown,
          Object.keys(options).map((k) => `--${k}`),
        )
      : '';
    throw usage(spec, `${msg}${hint ? `.${hint.replace(/\?$/, '')}` : ''}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const help = values['help'] === true;
  const declared = (name: string) => {
    if (!(name in options)) throw new Error(`usersim ${spec.name} reads --${name}, which its spec does not declare`);
    return values[name];
  };
  const { min, max } = spec.positionals;
  const n = parsed.positionals.length;
  if (!help && (n < min || (max !== null && n > max))) {
    const what = spec.args || 'no argument';
    const count = max === 0 ? 'takes no argument' : min === max ? `needs exactly ${spec.args}` : `needs ${what}`;
    throw usage(spec, `${spec.name} ${count} (got ${n === 0 ? 'none' : parsed.positionals.join(' ')})`);
  }
  return {
    spec,
    argv,
    positionals: parsed.positionals,
    help,
    string: (name) => {
      const v = declared(name);
      return typeof v === 'string' ? v : undefined;
    },
    flag: (name) => declared(name) === true,
    list: (name) => {
      const v = declared(name);
      return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    },
  };
}

/** For a command made of subcommands: the subcommand its first argument names. */
export function subcommandOf(spec: CommandSpec, argv: readonly string[]): CommandSpec | 'help' {
  const subs = spec.subcommands ?? [];
  const [first] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return 'help';
  const names = subs.map((s) => s.name.slice(spec.name.length + 1));
  if (first === undefined || first.startsWith('-'))
    throw usage(spec, `usersim ${spec.name} needs a subcommand first: ${names.join(', ')}`);
  const sub = subs.find((s) => s.name === `${spec.name} ${first}`);
  if (!sub)
    throw usage(spec, `unknown ${spec.name} subcommand "${first}".${didYouMean(first, names).replace(/\?$/, '')}`);
  return sub;
}

/** A number flag: undefined when absent, else a finite number inside the bounds, or a one-line UsageError. */
export function numberFlag(
  args: Parsed,
  name: string,
  rule: { integer?: boolean; min?: number; max?: number; what: string },
): number | undefined {
  const raw = args.string(name);
  if (raw === undefined) return undefined;
  const x = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(x) &&
    (!rule.integer || Number.isInteger(x)) &&
    (rule.min === undefined || x >= rule.min) &&
    (rule.max === undefined || x <= rule.max);
  if (!ok) throw new UsageError(`--${name} needs ${rule.what}, got "${raw}"`);
  return x;
}

/** Quotes an argument for a POSIX shell only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `usersim …` arguments (without "usersim") parsed against the spec of the command they name; for tests and scripts. */
export function parseArgv(argv: readonly string[]): Parsed {
  const [name, ...rest] = argv;
  const top = COMMANDS.find((c) => c.name === name);
  if (!top) throw new UsageError(`unknown command "${String(name)}"`);
  if (!top.subcommands) return parseCommand(top, rest);
  const sub = subcommandOf(top, rest);
  return parseCommand(sub === 'help' ? top : sub, sub === 'help' ? [] : rest.slice(1));
}
