import { defineMethod } from '../../../harness/plugin-api.js';
import { ALIGNUSER_CHOICES } from '../alignuser/index.js';
import { ALIGNUSER_PROMPTS, promptsFrom } from '../alignuser/prompts.js';
import { AlignUserPlusOptions } from './options.js';
import { AlignUserPlusSimulator, type AlignUserPlusPrompts } from './simulator.js';

const PROMPTS = {
  ...ALIGNUSER_PROMPTS,
  queries: new URL('./prompts/queries.md', import.meta.url),
  validate: new URL('./prompts/validate.md', import.meta.url),
  sessionQueries: new URL('./prompts/session-queries.md', import.meta.url),
  sessionValidate: new URL('./prompts/session-validate.md', import.meta.url),
};

export default defineMethod({
  name: 'alignuser-plus',
  version: 2,
  description:
    'AlignUSER+ (Bougie et al., ACL 2026): AlignUSER plus knowledge-graph memory retrieval (agent-written queries, BM25 evidence) and causal validation by self-check questions.',
  options: AlignUserPlusOptions,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'nextAction', 'browse'],
  choices: [
    ...ALIGNUSER_CHOICES.map((c) => c.replace(/^alignuser:/, 'alignuser-plus:')),
    'alignuser-plus: the knowledge-graph memory holds one text per rated item (with its genres and description), per genre (count, mean rating, liked and disliked titles) and per demographic attribute; BM25 retrieves 3 entries per query, at most 8 in all (ours)',
    'alignuser-plus: causal validation returns a full action; on "keep" the selected action stands unchanged (ours)',
    'alignuser-plus: on sessions datasets the memory holds one text per training session of the shopper (searches, products opened and put in the cart, outcome), per product acted on, per survey answer and one of habits (click types, purchase rate); no query call when it is empty (ours)',
  ],
  prompts: PROMPTS,
  async create(o, ctx) {
    const prompts = promptsFrom(ctx.prompts, Object.keys(PROMPTS), 'alignuser-plus') as unknown as AlignUserPlusPrompts;
    return new AlignUserPlusSimulator('alignuser-plus', o, prompts, ctx.log);
  },
});
