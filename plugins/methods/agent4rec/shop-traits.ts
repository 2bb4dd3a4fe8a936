import type { Session, SessionsTrainData } from '../../../harness/plugin-api.js';
import {
  ACTIVITY_CUTS,
  CONFORMITY_CUTS,
  genresWithin,
  DIVERSITY_CUTS,
  GENRE_COVERAGE,
  level,
  percentile,
  type Level,
  type Traits,
  type TraitValues,
} from './traits.js';

/** Our wording of what each level means to a shopper. */
const ACTIVITY: Record<Level, string> = {
  1: 'You keep your shopping sessions short: a few steps, and you are done or gone.',
  2: 'Your shopping sessions are of middling length: you look around a little before you decide or leave.',
  3: 'You take many steps in a session: you browse, compare and come back before you decide.',
};
const CONFORMITY: Record<Level, string> = {
  1: 'You shop much as most shoppers do, and the star ratings and popularity shown weigh a lot with you.',
  2: 'You weigh what other shoppers think (stars, popularity) and your own judgement about equally.',
  3: 'You go your own way: what most shoppers do and the stars shown sway you little.',
};
const DIVERSITY: Record<Level, string> = {
  1: 'You stick to a few kinds of step: mostly searching and opening products.',
  2: 'Besides searching and opening products you sometimes filter, read reviews or choose options.',
  3: 'You use the whole shop: filters, reviews, product options, the cart and suggested searches.',
};

export function shopTraitLines(t: Traits): string {
  return [
    `- Activity: ${ACTIVITY[t.activity]}`,
    `- Conformity: ${CONFORMITY[t.conformity]}`,
    `- Diversity: ${DIVERSITY[t.diversity]}`,
  ].join('\n');
}

/**
 * Agent4Rec's three social traits, read off a shopper's **training** sessions
 * instead of their ratings (ours: the paper has no sessions), with the paper's
 * percentile cuts over the shoppers who have any:
 *   activity    mean steps per earlier session                        60th / 90th
 *   diversity   kinds of step (action type, click type) covering 80% of their steps   33rd / 66th
 *   conformity  squared gap between their mix of kinds of step and the crowd's mix    25th / 80th
 * A shopper without a training session has no traits: the profile says so.
 */
export interface ShopTraits {
  readonly traits: Traits;
  readonly values: TraitValues;
  readonly sessions: number;
}

/** "input", "terminate" or the click type: what a step of a shopping session is, as the traits count it. */
function kindOf(s: Session['steps'][number]): string {
  const a = s.action;
  return a.type === 'click' ? `click:${a.clickType ?? 'other'}` : a.type;
}

function shares(counts: ReadonlyMap<string, number>): Map<string, number> {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return new Map([...counts].map(([k, n]) => [k, total === 0 ? 0 : n / total]));
}

export function shopTraits(train: SessionsTrainData): Map<string, ShopTraits> {
  const byUser = new Map<string, Session[]>();
  for (const s of train.sessions) {
    if (s.steps.length === 0) continue;
    let list = byUser.get(s.user);
    if (!list) byUser.set(s.user, (list = []));
    list.push(s);
  }
  const crowd = new Map<string, number>();
  const kinds = new Map<string, Map<string, number>>();
  for (const [user, sessions] of byUser) {
    const m = new Map<string, number>();
    for (const s of sessions)
      for (const st of s.steps) {
        const k = kindOf(st);
        m.set(k, (m.get(k) ?? 0) + 1);
        crowd.set(k, (crowd.get(k) ?? 0) + 1);
      }
    kinds.set(user, m);
  }
  const crowdShare = shares(crowd);
  const values = new Map<string, TraitValues>();
  for (const [user, sessions] of byUser) {
    const m = kinds.get(user) as Map<string, number>;
    const own = shares(m);
    let gap = 0;
    for (const k of new Set([...own.keys(), ...crowdShare.keys()]))
      gap += ((own.get(k) ?? 0) - (crowdShare.get(k) ?? 0)) ** 2;
    values.set(user, {
      activity: sessions.reduce((a, s) => a + s.steps.length, 0) / sessions.length,
      diversity: genresWithin([...m.values()], GENRE_COVERAGE),
      conformity: gap,
    });
  }
  const cuts = (key: keyof TraitValues, ps: readonly [number, number]): [number, number] => {
    const vs = [...values.values()].map((v) => v[key]);
    return [percentile(vs, ps[0]), percentile(vs, ps[1])];
  };
  const a = cuts('activity', ACTIVITY_CUTS);
  const d = cuts('diversity', DIVERSITY_CUTS);
  const c = cuts('conformity', CONFORMITY_CUTS);
  const out = new Map<string, ShopTraits>();
  for (const [user, v] of values) {
    out.set(user, {
      values: v,
      traits: { activity: level(v.activity, a), diversity: level(v.diversity, d), conformity: level(v.conformity, c) },
      sessions: byUser.get(user)?.length ?? 0,
    });
  }
  return out;
}
