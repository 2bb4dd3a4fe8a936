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

/**
 * The card's configs (OPeRA_dataset_card_README.md, `configs:`): the session
 * and user tables at `<table>/<split>/<split>.parquet`, the action tables as
 * shards `action/<split>-*`. The shard names are those `datasets.push_to_hub`
 * writes (`<split>-<k>-of-<n>.parquet`, k from 00000), n = ⌊num_bytes / 500 MB⌋ + 1
 * from the card's `dataset_info` (filtered_action: train 805,238,839 bytes → 2,
 * test 167,389,723 → 1; full_action: train 5,408,609,342 → 11, test 898,655,119 → 2).
 * Older public code read `action/<split>/<split>.parquet`, which the loader
 * still reads when a folder has it.
 */
export const ACTION_SHARDS: Readonly<Record<'filtered' | 'full', Readonly<Record<'train' | 'test', number>>>> = {
  filtered: { train: 2, test: 1 },
  full: { train: 11, test: 2 },
};

const pad = (k: number) => String(k).padStart(5, '0');

const tables = (version: 'filtered' | 'full') => [
  ...['user', 'session'].flatMap((t) => ['train', 'test'].map((s) => file(`OPeRA_${version}/${t}/${s}/${s}.parquet`))),
  ...(['train', 'test'] as const).flatMap((s) => {
    const n = ACTION_SHARDS[version][s];
    return Array.from({ length: n }, (_, k) => file(`OPeRA_${version}/action/${s}-${pad(k)}-of-${pad(n)}.parquet`));
  }),
];

const TERMS =
  'CC-BY-4.0 (NEU-HAI OPeRA dataset card); research purposes only; cite Wang et al., arXiv:2506.05606 (2025)';

/**
 * The user, session and action tables of each version, in the card's layout
 * (sharded action tables). If the repository holds another number of shards,
 * the fetch stops at the first missing name: download the `action/` files by
 * hand into the same folder, the loader reads any `<split>-*.parquet` there.
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
