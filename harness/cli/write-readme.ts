// `npm run docs`: rewrites the README's generated CLI section from the spec.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../results/manifest.js';
import { readmeCliSection } from './readme-section.js';

const file = join(PROJECT_ROOT, 'README.md');
const text = readFileSync(file, 'utf8');
const begin = text.indexOf('<!-- cli:begin');
const end = text.indexOf('<!-- cli:end -->');
if (begin < 0 || end < begin) {
  process.stderr.write(
    `${file}: no <!-- cli:begin --> … <!-- cli:end --> markers: add them where the CLI section goes\n`,
  );
  process.exit(2);
}
const head = text.slice(0, text.indexOf('\n', begin) + 1);
writeFileSync(file, `${head}${readmeCliSection()}${text.slice(end)}`);
process.stdout.write(`${file}: CLI section rewritten\n`);
