import type { DatasetDownload } from '../../../harness/plugin-api.js';

const MCAULEY_TERMS =
  'McAuley lab (UCSD) Amazon reviews: academic research use, no formal licence; cite the papers on the dataset page; do not redistribute';
const KGAT_RAW =
  'https://raw.githubusercontent.com/xiangwang1223/knowledge_graph_attention_network/c03737b/Data/amazon-book';

/**
 * Official files per variant (../shared/datasets/README.md). McAuley's pages
 * publish no checksums: the first fetch records a SHA-256 that later fetches
 * must match. The KGAT files are pinned to the SHA-256 verified on the shared
 * copy (repository commit c03737b).
 */
export const AMAZON_DOWNLOADS: readonly DatasetDownload[] = [
  {
    variant: 'kgat',
    description:
      "KGAT amazon-book (Amazon 2014 Books, implicit): 70,679 users, 24,915 items, 846,434 interactions with KGAT's train/test split",
    licence: `KGAT repository MIT; underlying data: ${MCAULEY_TERMS}`,
    homepage: 'https://github.com/xiangwang1223/knowledge_graph_attention_network/tree/master/Data/amazon-book',
    root: '',
    files: [
      {
        url: `${KGAT_RAW}/train.txt`,
        checksum: {
          algorithm: 'sha256',
          value: '4d10106bb06a77e11df660429903c0067aeb85b86431807836b0d8b7edc30c38',
          source: 'verified on the shared copy (MANIFEST.md)',
        },
        bytes: 3_897_477,
        unpack: 'none',
      },
      {
        url: `${KGAT_RAW}/test.txt`,
        checksum: {
          algorithm: 'sha256',
          value: 'f47eff9d35fb95c07d74251a991478a84095ce6c5969b0dafcb4afe99fc716ec',
          source: 'verified on the shared copy (MANIFEST.md)',
        },
        bytes: 1_478_039,
        unpack: 'none',
      },
      {
        url: `${KGAT_RAW}/user_list.txt`,
        checksum: {
          algorithm: 'sha256',
          value: 'ae2e001d4e49fd82d4c7e25f950827a8be2fbd5c6f3a16dacb2d104edb32310e',
          source: 'verified on the shared copy (MANIFEST.md)',
        },
        bytes: 1_454_742,
        unpack: 'none',
      },
      {
        url: `${KGAT_RAW}/item_list.txt`,
        checksum: {
          algorithm: 'sha256',
          value: 'efea8518cd68e515584fdfbfca95f318b25ef551c64498c5935897c2b02e436f',
          source: 'verified on the shared copy (MANIFEST.md)',
        },
        bytes: 658_401,
        unpack: 'none',
      },
    ],
  },
  {
    variant: '2014-ratings',
    description:
      'Amazon 2014 Books ratings only (user,item,rating,timestamp; 22.5M ratings) with item metadata; k-core filtered at load',
    licence: MCAULEY_TERMS,
    homepage: 'https://cseweb.ucsd.edu/~jmcauley/datasets/amazon/links.html',
    root: '',
    files: [
      {
        url: 'http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/ratings_Books.csv',
        checksum: null,
        unpack: 'none',
      },
      {
        url: 'http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/meta_Books.json.gz',
        checksum: null,
        unpack: 'none',
      },
    ],
  },
  {
    variant: '2014-5core',
    description: 'Amazon 2014 Books 5-core reviews (8.9M reviews; JSON lines) with item metadata (Python literals)',
    licence: MCAULEY_TERMS,
    homepage: 'https://cseweb.ucsd.edu/~jmcauley/datasets/amazon/links.html',
    root: '',
    files: [
      {
        url: 'http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/reviews_Books_5.json.gz',
        checksum: null,
        unpack: 'none',
      },
      {
        url: 'http://snap.stanford.edu/data/amazon/productGraph/categoryFiles/meta_Books.json.gz',
        checksum: null,
        unpack: 'none',
      },
    ],
  },
  {
    variant: '2018-5core',
    description: 'Amazon 2018 Books 5-core reviews (JSON lines with vote and style) with item metadata (JSON lines)',
    licence: MCAULEY_TERMS,
    homepage: 'https://cseweb.ucsd.edu/~jmcauley/datasets/amazon_v2/',
    root: '',
    files: [
      {
        url: 'https://datarepo.eng.ucsd.edu/mcauley_group/data/amazon_v2/categoryFilesSmall/Books_5.json.gz',
        checksum: null,
        unpack: 'none',
      },
      {
        url: 'https://datarepo.eng.ucsd.edu/mcauley_group/data/amazon_v2/metaFiles2/meta_Books.json.gz',
        checksum: null,
        unpack: 'none',
      },
    ],
  },
];

/** The files each variant reads from its folder (names as published). */
export const AMAZON_FILES = {
  kgat: {
    train: 'train.txt',
    test: 'test.txt',
    users: 'user_list.txt',
    items: 'item_list.txt',
    metadata: 'meta_Books.json.gz',
  },
  '2014-ratings': { ratings: 'ratings_Books.csv', metadata: 'meta_Books.json.gz' },
  '2014-5core': { reviews: 'reviews_Books_5.json.gz', metadata: 'meta_Books.json.gz' },
  '2018-5core': { reviews: 'Books_5.json.gz', metadata: 'meta_Books.json.gz' },
} as const;
