import { datasetFolder, DEFAULT_OBSERVATION_CHARS, defineDataset, Type } from '../../../harness/plugin-api.js';
import { OPERA_DOWNLOADS } from './downloads.js';
import { loadOpera, OPERA_CHOICES } from './load-opera.js';

const Options = Type.Object(
  {
    variant: Type.Union([Type.Literal('filtered'), Type.Literal('full')], {
      default: 'filtered',
      description: "filtered (click/input/terminate; the tasks' action space) or full.",
    }),
    path: Type.Optional(
      Type.String({
        description:
          'Folder laid out like the Hugging Face repository (OPeRA_filtered/…), relative to the config file; omit it to use the copy "usersim datasets fetch opera" put in datasets/cache.',
      }),
    ),
    observationChars: Type.Union([Type.Integer({ minimum: 500 }), Type.Null()], {
      default: DEFAULT_OBSERVATION_CHARS,
      description:
        "Budget of an observation's text per step; null: none. Over it, page details and product lines go first, then element labels are shortened, then dropped; the element list is cut only when its ids alone exceed it. The manifest counts the observations shortened and the gold targets that still fell outside (goldTargetsCut).",
    }),
    unknownClickType: Type.Union([Type.Literal('error'), Type.Literal('other')], {
      default: 'error',
      description: 'A click_type outside the 13 OPeRA types: an error, or counted as "other".',
    }),
    untargeted: Type.Union([Type.Literal('keep'), Type.Literal('skip')], {
      default: 'keep',
      description:
        'A click or input without semantic_id, or an input without input_text (the card lets them be null): keep it as a step with the field null (it stays in the history, and as a gold action it can never be matched), or skip the row. Either way the manifest counts them.',
    }),
  },
  { additionalProperties: false },
);

export default defineDataset({
  name: 'opera',
  description:
    'OPeRA (NEU-HAI, CC-BY-4.0): online shopping sessions with survey personas, page observations, actions and rationales, from its Hugging Face Parquet files.',
  options: Options,
  downloads: OPERA_DOWNLOADS,
  choices: OPERA_CHOICES,
  async load(o, ctx) {
    const root = datasetFolder({
      plugin: 'opera',
      variant: o.variant,
      path: o.path,
      configDir: ctx.configDir,
      downloads: OPERA_DOWNLOADS,
    });
    return loadOpera(root, {
      version: o.variant,
      observationChars: o.observationChars,
      unknownClickType: o.unknownClickType,
      untargeted: o.untargeted,
      log: ctx.log,
    });
  },
});
