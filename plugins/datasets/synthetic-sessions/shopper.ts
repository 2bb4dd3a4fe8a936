import type { Rng } from '../../../harness/plugin-api.js';

/** What drives a generated shopper's choices, each in [0, 1]. */
export interface Traits {
  /** Reads reviews, compares options. */
  readonly research: number;
  /** Filters by price, deletes from the cart. */
  readonly thrift: number;
  /** Buys quickly (buy now, few steps). */
  readonly impulse: number;
  /** How likely a session ends in a purchase. */
  readonly buyer: number;
}

export interface Shopper {
  readonly id: string;
  readonly traits: Traits;
  /** OPeRA user-table columns, as strings. */
  readonly survey: string;
  readonly rawSurvey: string;
  readonly interview: string;
  readonly interviewProcessed: string;
}

const AGREE = [
  'Strongly disagree',
  'Somewhat disagree',
  'Neither agree or disagree',
  'Somewhat agree',
  'Strongly agree',
];
const LEVEL = ['Low', 'Medium', 'High', 'Extremely high'];
const CITIES = ['Boston', 'Blacksburg', 'Seattle', 'Austin', 'Chicago', 'Denver', 'Atlanta'];
const JOBS = [
  { employment: 'Student', text: 'I am a graduate student. I spend most days in the lab and study in the evenings.' },
  {
    employment: 'Full-time employee',
    text: 'I work full time as a software engineer. I commute by bike and cook at home.',
  },
  { employment: 'Full-time employee', text: 'I am a nurse working long shifts. I shop online to save time.' },
  { employment: 'Part-time employee', text: 'I work part time at a bookstore and care for my two kids.' },
  { employment: 'Self-employed', text: 'I run a small design studio from home and travel for clients.' },
];

const agree = (x: number) => AGREE[Math.min(4, Math.floor(x * 5))] as string;
const level = (x: number) => LEVEL[Math.min(3, Math.floor(x * 4))] as string;

/** A uuid-shaped id from the generator (OPeRA user ids are UUIDs). */
export function uuid(rng: Rng): string {
  const h = () => rng.nextUint32().toString(16).padStart(8, '0');
  const a = h() + h() + h() + h();
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-${'89ab'[rng.int(4)]}${a.slice(17, 20)}-${a.slice(20, 32)}`;
}

/**
 * A shopper with traits and the survey, raw survey and interview strings of
 * OPeRA's user table, written so that the traits show in the answers (a
 * researcher "strongly agrees" with doing research before buying, …).
 */
export function makeShopper(rng: Rng): Shopper {
  const traits: Traits = {
    research: rng.next(),
    thrift: rng.next(),
    impulse: rng.next(),
    buyer: 0.2 + 0.6 * rng.next(),
  };
  const job = rng.pick(JOBS);
  const city = rng.pick(CITIES);
  const gender = rng.pick(['Female', 'Male', 'Non-binary']);
  const age = rng.pick(['18-24 years old', '25-34 years old', '35-44 years old', '45-54 years old']);
  const survey = {
    'Demographic Information': { Gender: gender, Age: age, City: city, 'Employment status': job.employment },
    'Self Description': { 'Two sentence description': job.text },
    'Shopping Preference': {
      'Online shopping frequency': rng.pick(['Once a month', 'Once to twice a week', 'Several times a week']),
      'Monthly online shopping spend $': String(50 + 50 * rng.int(8)),
      'Amazon Prime membership': rng.next() < 0.6 ? 'Yes' : 'No',
      'To what extent do you agree with the following statements': {
        'I usually do a lot research (e.g. reading online reviews) before making purchase.': agree(traits.research),
        'I look carefully to find the best value for money when shopping online.': agree(traits.thrift),
        'I shop quickly for online products, buying the first product or brand I find that seems good enough.': agree(
          traits.impulse,
        ),
      },
    },
    Personality: {
      'MBTI personality type': rng.pick(['infj', 'entp', 'istj', 'esfp', 'intj', 'enfp']),
      'Big Five Scores': {
        Extraversion: level(rng.next()),
        Agreeableness: level(rng.next()),
        Conscientiousness: level(traits.research),
        'Emotional Stability': level(rng.next()),
        Intellect: level(rng.next()),
      },
    },
  };
  const rawSurvey = {
    Gender: gender,
    Age: age,
    'Which city do you live in?': city,
    'Use two sentences to describe yourself.': job.text,
  };
  const style =
    traits.research > 0.6
      ? 'reads reviews carefully and compares options before buying'
      : traits.impulse > 0.6
        ? 'decides quickly and often buys the first good match'
        : 'balances price and quality';
  const interviewProcessed =
    `### Demographic Information\n[Participant] lives in ${city} and is ${job.employment.toLowerCase()}.\n\n` +
    `### Self Description\n${job.text.replace(/^I /, '[Participant] ').replace(/ I /g, ' they ')}\n\n` +
    `### Shopping Preference\n[Participant] ${style}${traits.thrift > 0.6 ? ', and looks hard for discounts' : ''}.`;
  const interview = `Interviewer: Can you tell me a bit about yourself?\nParticipant: ${job.text}\nInterviewer: How do you usually shop online?\nParticipant: I ${style.replace(/s\b/g, '')}.`;
  return {
    id: uuid(rng),
    traits,
    survey: JSON.stringify(survey),
    rawSurvey: JSON.stringify(rawSurvey),
    interview,
    interviewProcessed,
  };
}
