import { describe, expect, it } from 'vitest';
import { buildProfile, profileText } from '../../../../plugins/methods/recagent/profile.ts';
import { seedObservations } from '../../../../plugins/methods/recagent/user-state.ts';
import { userU } from './fixtures.ts';

describe('RecAgent profile', () => {
  it('takes interests from the genres of liked training items and the rating habit from the ratings', () => {
    const p = buildProfile(userU(), 2);
    // liked (≥ 4): Star Voyage [Sci-Fi, Adventure], Nebula Wars [Sci-Fi, Action], Moon Colony [Sci-Fi, Drama]
    expect(p.interests).toEqual(['Sci-Fi', 'Action']);
    expect(p.ratingHabit).toEqual({ mean: (3 + 5 + 1 + 5 + 4) / 5, rated: 5, min: 1, max: 5 });
    const text = profileText(p);
    expect(text).toContain('age: 35; occupation: engineer');
    expect(text).toContain('Sci-Fi, Action');
    expect(text).toContain('average was 3.6');
  });

  it('has no rating habit for implicit feedback', () => {
    const u = userU();
    const implicit = { ...u, history: u.history.map((h) => ({ ...h, rating: null })), scale: null };
    expect(buildProfile(implicit, 3).ratingHabit).toBeNull();
    expect(profileText(buildProfile(implicit, 3))).not.toContain('rating habit');
  });
});

describe('seed observations', () => {
  it('are the most recent training interactions, oldest first, with their ratings', () => {
    const obs = seedObservations(userU(), 2);
    expect(obs).toHaveLength(2);
    expect(obs[0]).toContain('Nebula Wars');
    expect(obs[0]).toContain('I rated it 5 out of 5');
    expect(obs[1]).toContain('Moon Colony');
    expect(seedObservations(userU(), 0)).toEqual([]);
    expect(seedObservations(userU(), 100)).toHaveLength(5);
  });
});
