/** Word lists for generated titles and one-line descriptions, per genre. */
export const GENRES = [
  'Action',
  'Comedy',
  'Drama',
  'Horror',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'Documentary',
  'Animation',
  'Fantasy',
  'Mystery',
  'Western',
] as const;

export const GENRE_WORDS: Record<string, { nouns: string[]; tones: string[]; subjects: string[] }> = {
  Action: {
    nouns: ['Strike', 'Fury', 'Pursuit', 'Siege'],
    tones: ['explosive', 'relentless'],
    subjects: ['a rogue agent racing a deadline', 'a heist gone wrong'],
  },
  Comedy: {
    nouns: ['Mixup', 'Weekend', 'Wedding', 'Roommates'],
    tones: ['light-hearted', 'absurd'],
    subjects: ['two rivals forced to share a flat', 'a family reunion that spirals'],
  },
  Drama: {
    nouns: ['Letters', 'Harvest', 'Silence', 'Inheritance'],
    tones: ['quiet', 'moving'],
    subjects: ['a widow rebuilding her life', 'brothers estranged for years'],
  },
  Horror: {
    nouns: ['Cellar', 'Hollow', 'Curse', 'Whispers'],
    tones: ['chilling', 'gory'],
    subjects: ['a house that remembers', 'campers who should not have stayed'],
  },
  Romance: {
    nouns: ['Summer', 'Promise', 'Serenade', 'Postcards'],
    tones: ['tender', 'bittersweet'],
    subjects: ['strangers meeting on a night train', 'a second chance at first love'],
  },
  'Sci-Fi': {
    nouns: ['Orbit', 'Signal', 'Protocol', 'Colony'],
    tones: ['cerebral', 'sprawling'],
    subjects: ['a crew waking from cryosleep', 'an AI that asks to be switched off'],
  },
  Thriller: {
    nouns: ['Witness', 'Cipher', 'Vanishing', 'Alibi'],
    tones: ['taut', 'paranoid'],
    subjects: ['a juror who suspects a setup', 'a journalist chasing a leak'],
  },
  Documentary: {
    nouns: ['Archive', 'Frontier', 'Atlas', 'Voices'],
    tones: ['observant', 'investigative'],
    subjects: ['the last glassblowers of a village', 'a year inside a public hospital'],
  },
  Animation: {
    nouns: ['Lantern', 'Paper', 'Meadow', 'Clockwork'],
    tones: ['whimsical', 'colourful'],
    subjects: ['a fox who wants to fly', 'toys that run a tiny city'],
  },
  Fantasy: {
    nouns: ['Crown', 'Dragon', 'Realm', 'Sword'],
    tones: ['epic', 'enchanted'],
    subjects: ['an apprentice who steals a spellbook', 'a kingdom without a sun'],
  },
  Mystery: {
    nouns: ['Locket', 'Manor', 'Riddle', 'Footprints'],
    tones: ['puzzling', 'atmospheric'],
    subjects: ['a detective with no memory', 'a murder at a chess club'],
  },
  Western: {
    nouns: ['Canyon', 'Outlaw', 'Frontier', 'Spur'],
    tones: ['dusty', 'stoic'],
    subjects: ['a sheriff facing his old gang', 'settlers crossing a dry plain'],
  },
};

export const ADJECTIVES = [
  'Silent',
  'Crimson',
  'Last',
  'Hidden',
  'Broken',
  'Golden',
  'Distant',
  'Northern',
  'Midnight',
  'Secret',
  'Wild',
  'Glass',
];

export const OCCUPATIONS = [
  'student',
  'engineer',
  'teacher',
  'nurse',
  'artist',
  'writer',
  'lawyer',
  'retired',
  'programmer',
  'salesman',
  'scientist',
  'homemaker',
];
