import { estimateCost, estimateMarkdown, estimateNotes } from './estimate-cost.js';

/** The estimate the README's cost table shows: Table 1 on MovieLens-100K at GPT-4.1 mini prices. */
export const README_COST = {
  config: 'configs/paper/local/table1-ml100k.yaml',
  sets: ['llm={plugin: openai, model: gpt-4.1-mini}'],
  sample: 3,
} as const;

/** The README's cost section: the command and its Markdown table (`npm run docs` writes it; a test checks it). */
export async function readmeCostSection(): Promise<string> {
  const e = await estimateCost(README_COST.config, {
    sets: README_COST.sets,
    sample: README_COST.sample,
    log: { info: () => {}, warn: () => {} },
  });
  const command = `usersim estimate ${README_COST.config} ${README_COST.sets.map((s) => `--set '${s}'`).join(' ')} --sample ${README_COST.sample} --format md`;
  return ['```sh', command, '```', '', estimateMarkdown(e).trimEnd(), '', ...estimateNotes(e), ''].join('\n');
}
