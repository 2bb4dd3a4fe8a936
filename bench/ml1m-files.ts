import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../harness/util/rng.ts';

/** The published shape of MovieLens-1M (README, MANIFEST.md). */
export const ML1M_SHAPE = {
  ratings: 1_000_209,
  users: 6_040,
  ratedItems: 3_706,
  movies: 3_883,
  maxMovieId: 3_952,
} as const;

/**
 * Writes ratings.dat, movies.dat and users.dat in the exact MovieLens-1M
 * format (`UserID::MovieID::Rating::Timestamp`, sorted by user, "::"
 * separated) with ML-1M's counts: 1,000,209 ratings by 6,040 users on 3,706
 * of 3,883 movies, at least 20 ratings per user, a long-tailed item
 * popularity and ML-1M's star histogram. The real ratings.dat is not
 * redistributable (and not in ../shared), so the benchmark generates one.
 */
export function writeMl1mFiles(dir: string, seed = 1): void {
  const rng = new Rng(`ml1m-bench-${seed}`);
  const movieIds = rng
    .sample(
      Array.from({ length: ML1M_SHAPE.maxMovieId }, (_, k) => k + 1),
      ML1M_SHAPE.movies,
    )
    .sort((a, b) => a - b);
  const rated = rng.sample(movieIds, ML1M_SHAPE.ratedItems);
  const genres = [
    'Action',
    'Adventure',
    'Animation',
    "Children's",
    'Comedy',
    'Crime',
    'Documentary',
    'Drama',
    'Fantasy',
    'Film-Noir',
    'Horror',
    'Musical',
    'Mystery',
    'Romance',
    'Sci-Fi',
    'Thriller',
    'War',
    'Western',
  ];
  writeFileSync(
    join(dir, 'movies.dat'),
    movieIds
      .map((id) => `${id}::Movie ${id} (${1919 + (id % 82)})::${rng.sample(genres, 1 + rng.int(3)).join('|')}`)
      .join('\n') + '\n',
    'latin1',
  );
  const ages = ['1', '18', '25', '35', '45', '50', '56'];
  const users: string[] = [];
  for (let u = 1; u <= ML1M_SHAPE.users; u++)
    users.push(
      `${u}::${rng.next() < 0.28 ? 'F' : 'M'}::${rng.pick(ages)}::${rng.int(21)}::${String(10000 + rng.int(89999))}`,
    );
  writeFileSync(join(dir, 'users.dat'), users.join('\n') + '\n', 'latin1');

  // Ratings per user: 20 + a heavy tail, scaled to the exact total.
  const raw = Array.from({ length: ML1M_SHAPE.users }, () => Math.exp(rng.normal(0, 1.1)));
  const spare = ML1M_SHAPE.ratings - 20 * ML1M_SHAPE.users;
  const sum = raw.reduce((a, b) => a + b, 0);
  const counts = raw.map((x) => Math.min(ML1M_SHAPE.ratedItems - 200, 20 + Math.floor((x / sum) * spare)));
  let left = ML1M_SHAPE.ratings - counts.reduce((a, b) => a + b, 0);
  for (let u = 0; left > 0; u = (u + 1) % counts.length) {
    if ((counts[u] as number) < ML1M_SHAPE.ratedItems - 200) {
      counts[u] = (counts[u] as number) + 1;
      left--;
    }
  }
  // Item popularity: Zipf-like weights over the rated movies, as a cumulative table.
  const cum = new Float64Array(rated.length);
  let acc = 0;
  for (let k = 0; k < rated.length; k++) cum[k] = acc += 1 / (k + 1) ** 0.8;
  const drawItem = () => {
    const x = rng.next() * acc;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const stars = [0.056, 0.108, 0.261, 0.349, 0.226];
  const drawStars = () => {
    let x = rng.next();
    for (let s = 0; s < 4; s++) if ((x -= stars[s] as number) < 0) return s + 1;
    return 5;
  };
  const out: string[] = [];
  let nextUncovered = 0;
  for (let u = 0; u < ML1M_SHAPE.users; u++) {
    const n = counts[u] as number;
    const chosen = new Set<number>();
    // Every rated movie gets at least one rating: hand out the uncovered ones first.
    while (nextUncovered < rated.length && chosen.size < Math.min(n, 1)) chosen.add(nextUncovered++);
    while (chosen.size < n) chosen.add(rng.next() < 0.7 ? drawItem() : rng.int(rated.length));
    let t = 956_703_932 + rng.int(80_000_000);
    for (const k of chosen) {
      t += rng.int(600);
      out.push(`${u + 1}::${rated[k]}::${drawStars()}::${t}`);
    }
  }
  if (nextUncovered < rated.length) throw new Error('bench generator: not every movie was rated; raise the user count');
  writeFileSync(join(dir, 'ratings.dat'), out.join('\n') + '\n', 'latin1');
}
