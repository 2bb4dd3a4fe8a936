import type { Level, TraitValues, Traits } from './traits.js';

/** Our wording of what each trait level means to the agent (the released code has its own). */
const ACTIVITY: Record<Level, string> = {
  1: 'You rarely act on recommendations: you watch something only when it is plainly for you, and a little disappointment is enough for you to leave.',
  2: 'You watch now and then, mostly items that clearly fit your taste, and you leave after a few unsatisfying pages.',
  3: 'You watch a great deal and readily try what is recommended; you are patient with the recommender and seldom leave early.',
};
const CONFORMITY: Record<Level, string> = {
  1: 'Your ratings usually follow the average rating other viewers gave.',
  2: "You weigh other viewers' average rating and your own taste about equally when you rate.",
  3: 'You ignore what others think: your ratings often differ a lot from the average rating.',
};
const DIVERSITY: Record<Level, string> = {
  1: 'You keep to a narrow set of genres you know you like.',
  2: 'You mostly stay with your favourite genres but sometimes try something different.',
  3: 'You look for variety and readily try unusual genres.',
};

export interface Taste {
  /** First-person description of what the user enjoys and avoids. */
  readonly taste: string;
  /** One sentence on how the user tends to rate; "" when the released profile has none. */
  readonly ratingHabit: string;
  /** The released taste as its separate sentences (absent for a taste we wrote). */
  readonly sentences?: readonly string[];
}

/** An Agent4Rec agent's profile: traits from the data, taste from the LLM. Independent of any task. */
export interface Agent4RecProfile {
  readonly userId: string;
  readonly traits: Traits;
  readonly values: TraitValues;
  readonly taste: Taste;
}

export function traitLines(traits: Traits): string {
  return [
    `- Activity: ${ACTIVITY[traits.activity]}`,
    `- Conformity: ${CONFORMITY[traits.conformity]}`,
    `- Diversity: ${DIVERSITY[traits.diversity]}`,
  ].join('\n');
}

export function profileText(p: Agent4RecProfile): string {
  return [
    'Your social traits:',
    traitLines(p.traits),
    "(Activity is how often you act on recommendations; conformity is how much other viewers' average rating sways your own; diversity is how willing you are to try items outside your usual taste.)",
    `Your tastes: ${p.taste.taste}`,
    ...(p.taste.ratingHabit ? [`Your rating habit: ${p.taste.ratingHabit}`] : []),
  ].join('\n');
}
