/** What each MovieLens release looks like on disk. */
export const VARIANTS = {
  '100k': {
    ratings: 'u.data',
    sep: '\t',
    encoding: 'latin1',
    scale: { min: 1, max: 5, step: 1 },
    url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
  },
  '1m': {
    ratings: 'ratings.dat',
    sep: '::',
    encoding: 'latin1',
    scale: { min: 1, max: 5, step: 1 },
    url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip',
  },
  'latest-small': {
    ratings: 'ratings.csv',
    sep: ',',
    encoding: 'utf8',
    scale: { min: 0.5, max: 5, step: 0.5 },
    url: 'https://files.grouplens.org/datasets/movielens/ml-latest-small.zip',
  },
} as const;

export type Variant = keyof typeof VARIANTS;

/** users.dat occupation codes (MovieLens-1M README). */
export const ML1M_OCCUPATIONS = [
  'other',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
];

/** users.dat age codes (MovieLens-1M README). */
export const ML1M_AGES: Record<string, string> = {
  '1': 'under 18',
  '18': '18-24',
  '25': '25-34',
  '35': '35-44',
  '45': '45-49',
  '50': '50-55',
  '56': '56+',
};
