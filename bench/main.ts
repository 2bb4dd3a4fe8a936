/**
 * `npm run bench [-- section...]`: speed and memory figures with their
 * targets. Never part of `npm test` (timings on a shared machine are not tests).
 */
import { benchLlm } from './llm.js';

type Section = () => Promise<string[]>;

const SECTIONS: Record<string, () => Promise<Section>> = {
  llm: async () => benchLlm,
  datasets: async () => (await import('./datasets.js')).benchDatasets,
  stats: async () => (await import('./stats.js')).benchStats,
  recommenders: async () => (await import('./recommenders.js')).benchRecommenders,
  scaling: async () => (await import('./scaling.js')).benchScaling,
  cli: async () => (await import('./cli.js')).benchCli,
  examples: async () => (await import('./examples.js')).benchExamples,
  // Minutes long: only when named (npm run bench -- sloppy).
  sloppy: async () => (await import('./sloppy-tables.js')).benchSloppyTables,
};
const ON_REQUEST = new Set(['sloppy']);

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS).filter((n) => !ON_REQUEST.has(n));
for (const name of names) {
  const load = SECTIONS[name];
  if (!load) {
    process.stderr.write(`unknown bench section "${name}"; sections: ${Object.keys(SECTIONS).join(', ')}\n`);
    process.exit(2);
  }
  const fn = await load();
  const lines = await fn();
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
