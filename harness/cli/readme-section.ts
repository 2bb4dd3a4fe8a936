import { flagText, synopses } from './help.js';
import { COMMANDS } from './spec.js';

const md = (s: string) => s.replace(/\|/g, '\\|');

/** The README's CLI reference, made from the spec like `--help` (`npm run docs` writes it; a test checks it). */
export function readmeCliSection(): string {
  const out: string[] = ['```', ...COMMANDS.flatMap(synopses), '```', ''];
  out.push('| command | what it does |', '|---|---|');
  for (const c of COMMANDS.flatMap((x) => x.subcommands ?? [x]))
    out.push(`| \`usersim ${c.name}\` | ${md(c.summary)}${c.exitCodes ? `. Exit codes: ${md(c.exitCodes)}` : ''} |`);
  out.push('', '| flag | of | meaning |', '|---|---|---|');
  for (const c of COMMANDS.flatMap((x) => x.subcommands ?? [x]))
    for (const f of c.flags)
      out.push(
        `| \`${md(flagText(f))}\`${f.short ? ` (\`-${f.short}\`)` : ''} | ${c.name} | ${md(f.help)}${f.repeatable ? ' (repeatable)' : ''} |`,
      );
  return `${out.join('\n')}\n`;
}
