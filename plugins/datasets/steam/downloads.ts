import type { DatasetDownload, DownloadFile } from '../../../harness/plugin-api.js';

const UCSD_TERMS =
  'UCSD McAuley lab: academic research use, no formal licence; cite Kang & McAuley ICDM 2018 (v2), Pathak et al. SIGIR 2017 and Wan & McAuley RecSys 2018 (v1); do not redistribute';

/** Item metadata shared by v1 and v2; the SHA-256 was verified on the shared copy (MANIFEST.md). */
const STEAM_GAMES: DownloadFile = {
  url: 'https://cseweb.ucsd.edu/~wckang/steam_games.json.gz',
  checksum: {
    algorithm: 'sha256',
    value: '717f4653a26585fec8f463f59311a654127c2ed66b07b9f78b4c0ce64961c740',
    source: 'verified on the shared copy; identical blob in two independent repositories',
  },
  bytes: 2_740_516,
  unpack: 'none',
};

/**
 * The UCSD Steam files (no provider checksums except as noted: the first fetch
 * records a SHA-256 that later fetches must match) and the Kaggle steam-200k
 * data as re-indexed by CaseRecommender (Kaggle itself needs an account).
 */
export const STEAM_DOWNLOADS: readonly DatasetDownload[] = [
  {
    variant: 'v2',
    description:
      'Steam v2 (Kang & McAuley 2018, used by SASRec): 7.8M reviews with hours played, and 32,135 games of item metadata',
    licence: UCSD_TERMS,
    homepage: 'https://cseweb.ucsd.edu/~jmcauley/datasets.html#steam_data',
    root: '',
    files: [
      { url: 'https://cseweb.ucsd.edu/~wckang/steam_reviews.json.gz', checksum: null, unpack: 'none' },
      STEAM_GAMES,
    ],
  },
  {
    variant: 'v1',
    description:
      'Steam v1 (Australian users): games owned with play time, reviews with recommendations, and item metadata',
    licence: UCSD_TERMS,
    homepage: 'https://cseweb.ucsd.edu/~jmcauley/datasets.html#steam_data',
    root: '',
    files: [
      {
        url: 'https://mcauleylab.ucsd.edu/public_datasets/data/steam/australian_users_items.json.gz',
        checksum: null,
        unpack: 'none',
      },
      {
        url: 'https://mcauleylab.ucsd.edu/public_datasets/data/steam/australian_user_reviews.json.gz',
        checksum: null,
        unpack: 'none',
      },
      STEAM_GAMES,
    ],
  },
  {
    variant: 'kaggle',
    description:
      'Kaggle "Steam Video Games" (steam-200k: 129,511 purchases and 70,489 play-hour rows, 12,393 users, 5,155 games), CaseRecommender TSV files',
    licence:
      'Kaggle dataset by Tamber, "generated entirely from public Steam data" (see the Kaggle page for its licence); re-indexed by CaseRecommender',
    homepage: 'https://www.kaggle.com/datasets/tamber/steam-video-games',
    root: '',
    files: [
      {
        url: 'https://raw.githubusercontent.com/caserec/Datasets-for-Recommender-Systems/4180b4dc4103452c591a1718560d29bdf1f48540/Processed%20Datasets/Steam/steam.zip',
        checksum: null,
        bytes: 823_340,
        unpack: 'zip',
      },
    ],
  },
];

export const STEAM_FILES = {
  games: 'steam_games.json.gz',
  v2: { reviews: 'steam_reviews.json.gz' },
  v1: { items: 'australian_users_items.json.gz', reviews: 'australian_user_reviews.json.gz' },
  kaggle: { purchases: 'game_purchase.dat', play: 'game_play.dat', items: 'item_info.dat', users: 'user_info.dat' },
} as const;
