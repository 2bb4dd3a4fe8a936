import type { DatasetDownload } from '../../../harness/plugin-api.js';

const GROUPLENS_TERMS =
  'GroupLens: research use only; no redistribution without permission; no commercial use; cite Harper & Konstan, ACM TiiS 2015';

/**
 * The official GroupLens archives. Checksums as listed in
 * ../shared/datasets/README.md: md5 from GroupLens' .md5 files (pinned by many
 * projects) for 100k and 1m; latest-small has only a third-party sha256 and is
 * a "development" release that GroupLens may regenerate.
 */
export const MOVIELENS_DOWNLOADS: readonly DatasetDownload[] = [
  {
    variant: '100k',
    description: 'MovieLens 100K: 100,000 ratings (1–5) by 943 users on 1,682 movies, with the official u1–u5 folds',
    licence: GROUPLENS_TERMS,
    homepage: 'https://grouplens.org/datasets/movielens/100k/',
    root: 'ml-100k',
    files: [
      {
        url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
        checksum: {
          algorithm: 'md5',
          value: '0e33842e24a9c977be4e0107933c0723',
          source: 'GroupLens ml-100k.zip.md5 (pinned by many projects)',
        },
        bytes: 4_924_029,
        unpack: 'zip',
      },
    ],
  },
  {
    variant: '1m',
    description: 'MovieLens 1M: 1,000,209 ratings (1–5) by 6,040 users on 3,706 movies',
    licence: GROUPLENS_TERMS,
    homepage: 'https://grouplens.org/datasets/movielens/1m/',
    root: 'ml-1m',
    files: [
      {
        url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip',
        checksum: {
          algorithm: 'md5',
          value: 'c4d9eecfca2ab87c1945afe126590906',
          source: 'GroupLens ml-1m.zip.md5 (pinned by many projects)',
        },
        unpack: 'zip',
      },
    ],
  },
  {
    variant: 'latest-small',
    description: 'MovieLens latest-small (2018-09-26): 100,836 ratings (0.5–5) by 610 users on 9,742 movies',
    licence:
      'GroupLens: research use; redistribution allowed under the same terms; no commercial use; cite Harper & Konstan, ACM TiiS 2015',
    homepage: 'https://grouplens.org/datasets/movielens/latest/',
    root: 'ml-latest-small',
    files: [
      {
        url: 'https://files.grouplens.org/datasets/movielens/ml-latest-small.zip',
        checksum: {
          algorithm: 'sha256',
          value: '696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436',
          source: 'reported by one third-party project; GroupLens may regenerate this release',
        },
        unpack: 'zip',
      },
    ],
  },
];
