import type { DatasetDownload, DownloadFile } from '../../../harness/plugin-api.js';

const HF = 'https://huggingface.co/datasets/NEU-HAI/OPeRA/resolve/main';

/**
 * One Parquet file of the Hugging Face repository, kept at its repository
 * path. The card publishes no checksums (Hugging Face shows per-file LFS
 * SHA-256 on the "Files" page): the first fetch records one.
 */
const file = (path: string): DownloadFile => ({
  url: `${HF}/${path}`,
  name: path.slice(path.lastIndexOf('/') + 1),
  folder: path.slice(0, path.lastIndexOf('/')),
  checksum: null,
  unpack: 'none',
});

const tables = (version: 'filtered' | 'full') =>
  ['user', 'session', 'action'].flatMap((t) =>
    ['train', 'test'].map((s) => file(`OPeRA_${version}/${t}/${s}/${s}.parquet`)),
  );

const TERMS =
  'CC-BY-4.0 (NEU-HAI OPeRA dataset card); research purposes only; cite Wang et al., arXiv:2506.05606 (2025)';

/**
 * The user, session and action tables of each version. The action tables'
 * paths (`<table>/<split>/<split>.parquet`) are those public code reads from
 * the repository; the card's `action/train-*` pattern also matches sharded
 * names, which the loader reads too (fetch by hand if the repository moved
 * to shards).
 */
export const OPERA_DOWNLOADS: readonly DatasetDownload[] = [
  {
    variant: 'filtered',
    description:
      'OPeRA filtered: click/input/terminate actions (4,864 train / 992 test rows), sessions, users with survey personas',
    licence: TERMS,
    homepage: 'https://huggingface.co/datasets/NEU-HAI/OPeRA',
    root: '',
    files: tables('filtered'),
  },
  {
    variant: 'full',
    description: 'OPeRA full: every captured action (24,773 train / 4,131 test rows), sessions, users',
    licence: TERMS,
    homepage: 'https://huggingface.co/datasets/NEU-HAI/OPeRA',
    root: '',
    files: tables('full'),
  },
];
