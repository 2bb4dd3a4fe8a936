import type { DatasetDownload } from '../../../harness/plugin-api.js';

/** The commit of LehengTHU/Agent4Rec whose datasets/ml-1m files this plugin reads. */
export const AGENT4REC_COMMIT = 'f4ee73e4fc686ef6177e9554d96ecf50add952b0';

const RAW = `https://raw.githubusercontent.com/LehengTHU/Agent4Rec/${AGENT4REC_COMMIT}/datasets/ml-1m`;

/** The files the loader reads: repository path under datasets/ml-1m/ and its SHA-256 (checked on the copy in ../shared). */
export const AGENT4REC_FILES = [
  ['cf_data', 'train.txt', '179b1f7ec8baf96953d22373721383673ef5897c4cde360dcfbf8ad83f946c56'],
  ['cf_data', 'valid.txt', '3a57bc6891f7b7137a0b9c11d8ec736d47baf8ea36a0c1f8b332a599149454f8'],
  ['cf_data', 'test.txt', '9f2c57f8af87139eb7d2a1ee5be33fdb2d58bf646040870042e3c52692b26b56'],
  ['simulation', 'movie_detail.csv', '01c883a0500cf7f2b030350e80a47138c5d4ba5689fe7426099f94cd472a7c5f'],
  ['simulation', 'user_statistic.csv', 'e133d957d6c30d1e60d489d859089cf26fcd7f422a99b4a9068acfd573be3d8a'],
  ['simulation', 'all_personas_like.csv', '2cb7701ee2131631a9351d959859e60b72123fd28bfd2d21c8f30e40343e513f'],
  ['raw_data', 'agg_top_25.csv', 'f3748eebdf21294f93e79994bf1c0ed7daa4b001a55e360d7a0417853f32b9f0'],
] as const;

/**
 * Agent4Rec's published evaluation files, from the repository pinned at one
 * commit (raw.githubusercontent.com serves a commit's bytes unchanged), into
 * the layout of its datasets/ml-1m folder.
 */
export const AGENT4REC_DOWNLOADS: readonly DatasetDownload[] = [
  {
    variant: 'f4ee73e',
    description:
      "Agent4Rec's MovieLens-1M evaluation data: its 1,000 users, their train/valid/test split, 3,292 items with mean rating and summary, released traits and tastes, up to 25 rated training movies per user",
    licence:
      'Agent4Rec repository: MIT; the data derives from MovieLens-1M, so GroupLens terms apply (research use only, no redistribution, cite Harper & Konstan, ACM TiiS 2015)',
    homepage: `https://github.com/LehengTHU/Agent4Rec/tree/${AGENT4REC_COMMIT}/datasets/ml-1m`,
    root: '',
    files: AGENT4REC_FILES.map(([folder, name, sha]) => ({
      url: `${RAW}/${folder}/${name}`,
      folder,
      checksum: {
        algorithm: 'sha256' as const,
        value: sha,
        source: 'verified on the copy in ../shared/datasets/agent4rec-ml1m',
      },
      unpack: 'none' as const,
    })),
  },
];
