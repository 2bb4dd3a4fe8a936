// `npm run docs`: rewrites the README's generated sections: the CLI reference from the spec, the cost table from `usersim estimate`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../results/manifest.js';
import { readmeCostSection } from './readme-cost.js';
import { readmeCliSection } from './readme-section.js';

const file = join(PROJECT_ROOT, 'README.md');
let text = readFileSync(file, 'utf8');

function replaceSection(name: string, body: string): void {
  const begin = text.indexOf(`<!-- ${name}:begin`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  if (begin < 0 || end < begin) {
    process.stderr.write(
      `${file}: no <!-- ${name}:begin --> … <!-- ${name}:end --> markers: add them where the ${name} section goes\n`,
    );
    process.exit(2);
  }
  const head = text.slice(0, text.indexOf('\n', begin) + 1);
  text = `${head}${body}${text.slice(end)}`;
}

replaceSection('cli', readmeCliSection());
if (!process.argv.includes('--cli-only')) {
  // Runs the estimate (about half a minute): --cli-only skips it.
  process.chdir(PROJECT_ROOT);
  replaceSection('cost', await readmeCostSection());
}
writeFileSync(file, text);
process.stdout.write(`${file}: CLI section${process.argv.includes('--cli-only') ? '' : ' and cost table'} rewritten\n`);
