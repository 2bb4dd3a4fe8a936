import { Type, type Static } from '../../../harness/plugin-api.js';
import { alignUserOptionProperties } from '../alignuser/options.js';

export const AlignUserPlusOptions = Type.Object(
  {
    ...alignUserOptionProperties,
    memoryRetrieval: Type.Boolean({
      default: true,
      description:
        'Knowledge-graph memory retrieval: the agent writes queries, the evidence found goes into screening and selection.',
    }),
    memoryQueries: Type.Integer({
      minimum: 1,
      maximum: 3,
      default: 3,
      description: 'Most queries the agent writes for its memory (the paper: up to three).',
    }),
    evidencePerQuery: Type.Integer({
      minimum: 1,
      default: 3,
      description: 'Memory entries retrieved (BM25) per query.',
    }),
    maxEvidence: Type.Integer({
      minimum: 1,
      default: 8,
      description: 'Most memory entries put into a prompt, after removing duplicates.',
    }),
    causalValidation: Type.Boolean({
      default: true,
      description:
        'Causal validation: two to four self-check questions answered from state, persona and history; keep the action or change it.',
    }),
  },
  { additionalProperties: false },
);
export type AlignUserPlusOptions = Static<typeof AlignUserPlusOptions>;
