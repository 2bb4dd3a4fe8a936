import { wrapText } from '../report/wrap-text.js';
import { COMMANDS, type CommandSpec, type FlagSpec, TOOL_SUMMARY } from './spec.js';

const WIDTH = 80;

/** `--limit N`, `-f, --format FMT`, `--set KEY.PATH=VALUE` (as help and synopsis show a flag). */
export function flagText(f: FlagSpec): string {
  return `--${f.name}${f.value ? ` ${f.value}` : ''}`;
}

/** One usage line: the command, its arguments and every flag it accepts. */
export function synopsis(c: CommandSpec): string {
  const flags = c.flags.map((f) => `[${flagText(f)}]${f.repeatable ? '...' : ''}`);
  return ['usersim', c.name, c.args, ...flags].filter((s) => s !== '').join(' ');
}

/** Every usage line of a command: one per subcommand for a command made of them. */
export function synopses(c: CommandSpec): string[] {
  return c.subcommands ? c.subcommands.map(synopsis) : [synopsis(c)];
}

const wrap = (text: string, width: number, indent = '') => wrapText(text, width, indent);

function flagLines(flags: readonly FlagSpec[]): string[] {
  const all = [...flags, { name: 'help', short: 'h', help: 'This help' } satisfies FlagSpec];
  const names = all.map((f) => `${f.short ? `-${f.short}, ` : ''}${flagText(f)}`);
  const col = Math.min(30, Math.max(...names.map((n) => n.length)) + 3);
  const out: string[] = [];
  all.forEach((f, k) => {
    const name = names[k] as string;
    const text = wrap(`${f.help}${f.repeatable ? ' (repeatable)' : ''}`, WIDTH, ' '.repeat(2 + col));
    if (2 + name.length + 1 > 2 + col) out.push(`  ${name}`);
    else text[0] = `  ${name.padEnd(col)}${(text[0] as string).trimStart()}`;
    out.push(...text);
  });
  return out;
}

/** `usersim COMMAND --help`. */
export function commandHelp(c: CommandSpec): string {
  const out: string[] = [...synopses(c), '', ...wrap(c.description, WIDTH)];
  if (c.subcommands) {
    for (const s of c.subcommands) {
      out.push('', `${s.name}: ${s.summary}`, ...wrap(s.description, WIDTH, '  '));
      if (s.flags.length > 0) out.push('', '  Options:', ...flagLines(s.flags).map((l) => `  ${l}`));
      if (s.exitCodes) out.push('', ...wrap(`Exit codes: ${s.exitCodes}`, WIDTH, '  '));
    }
    out.push('', `Run "usersim ${c.name} SUBCOMMAND --help" for one subcommand.`);
  } else {
    out.push('', 'Options:', ...flagLines(c.flags));
  }
  if (c.exitCodes) out.push('', ...wrap(`Exit codes: ${c.exitCodes}`, WIDTH));
  return `${out.join('\n')}\n`;
}

/** `usersim --help`: every command with every flag it takes. */
export function topHelp(): string {
  const out = [TOOL_SUMMARY, '', 'Usage:'];
  for (const c of COMMANDS) out.push(...synopses(c).map((s) => `  ${s}`));
  out.push('', 'Commands:');
  const col = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  for (const c of COMMANDS) out.push(`  ${c.name.padEnd(col)}${c.summary}`);
  out.push(
    '',
    'Run "usersim COMMAND --help" for a command\'s options and exit codes.',
    'Exit codes: 0 success, 1 finished with unit errors (or a difference found), 2 usage or config error, 130 interrupted.',
  );
  return `${out.join('\n')}\n`;
}
