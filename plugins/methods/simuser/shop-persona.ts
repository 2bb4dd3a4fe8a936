import { renderTemplate, Rng, type Llm, type PersonaRecord } from '../../../harness/plugin-api.js';
import { surveyText } from '../shared/session-page.js';
import { bestCandidate, PERSONA_SCHEMA, personaText, type Persona, type ScoredCandidate } from './persona.js';

/**
 * SimUSER's persona matching for a web shopper (ours: the paper matches on
 * rated items). The shopper's own account (OPeRA's processed interview, or the
 * survey written out) and survey answers are summarised, K candidate personas
 * are proposed from the summary, and each candidate is scored the paper's way,
 * s(p, u) = r̂(own) − r̂(other), with survey answers in place of rated items:
 * as the candidate, the LLM rates 1–5 how well each answer describes it, on a
 * seeded mix of the shopper's own answers and other shoppers' different
 * answers to the same questions. The best score wins; ties go to the first.
 */
export interface ShopPersonaPrompts {
  readonly system: string;
  readonly summarise: string;
  readonly propose: string;
  readonly score: string;
}

export interface ShopPersonaOptions {
  readonly candidates: number;
  /** The shopper's own survey answers each candidate rates. */
  readonly ownItems: number;
  /** Other shoppers' (different) answers each candidate rates: the contrast. */
  readonly otherItems: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export interface SurveyProbe {
  readonly question: string;
  readonly answer: string;
  readonly own: boolean;
}

export interface MatchedShopPersona {
  readonly userId: string;
  readonly summary: string;
  readonly candidates: readonly ScoredCandidate[];
  readonly chosen: number;
  readonly persona: Persona;
}

/** Longer answers (free-text self descriptions) would name the person outright; they are summarised, not probed. */
const MAX_PROBE_CHARS = 80;

const answers = (p: PersonaRecord) =>
  Object.entries(p.attributes)
    .map(([question, v]) => ({ question, answer: String(v).trim() }))
    .filter((x) => x.answer !== '' && x.answer.length <= MAX_PROBE_CHARS);

/**
 * The answers a candidate is scored on, drawn with `rng`: `ownItems` of the
 * shopper's answers and `otherItems` answers other shoppers gave to the same
 * questions that differ from the shopper's, shuffled together.
 */
export function surveyProbes(
  persona: PersonaRecord,
  others: readonly PersonaRecord[],
  o: Pick<ShopPersonaOptions, 'ownItems' | 'otherItems'>,
  rng: Rng,
): SurveyProbe[] {
  const mine = answers(persona);
  const own = rng.sample(mine, o.ownItems).map((x) => ({ ...x, own: true }));
  const asked = new Map(mine.map((x) => [x.question, x.answer]));
  const seen = new Set<string>();
  const pool: SurveyProbe[] = [];
  for (const p of others) {
    if (p.id === persona.id) continue;
    for (const x of answers(p)) {
      const key = `${x.question}\u0000${x.answer}`;
      if (!asked.has(x.question) || asked.get(x.question) === x.answer || seen.has(key)) continue;
      seen.add(key);
      pool.push({ ...x, own: false });
    }
  }
  return rng.shuffle([...own, ...rng.sample(pool, o.otherItems)]);
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export class ShopPersonaMatcher {
  constructor(
    private readonly prompts: ShopPersonaPrompts,
    private readonly o: ShopPersonaOptions,
    private readonly seed: number,
  ) {}

  /** LLM calls of one match: summary, proposal, and one scoring call per candidate when there is anything to score. */
  callsFor(persona: PersonaRecord, others: readonly PersonaRecord[]): number {
    return 2 + (this.o.candidates > 1 && this.probes(persona, others).length > 0 ? this.o.candidates : 0);
  }

  private probes(persona: PersonaRecord, others: readonly PersonaRecord[]): SurveyProbe[] {
    return surveyProbes(persona, others, this.o, Rng.derive(this.seed, 'simuser-shop-probes', persona.id));
  }

  async match(persona: PersonaRecord, others: readonly PersonaRecord[], llm: Llm): Promise<MatchedShopPersona> {
    const system = { role: 'system' as const, content: this.prompts.system };
    const settings = { temperature: this.o.temperature, maxTokens: this.o.maxTokens };
    const account = persona.persona.trim() || '(no interview or persona text)';
    const { summary } = await llm.json<{ summary: string }>({
      messages: [
        system,
        { role: 'user', content: renderTemplate(this.prompts.summarise, { account, survey: surveyText(persona) }) },
      ],
      schema: {
        type: 'object',
        properties: { summary: { type: 'string' } },
        required: ['summary'],
        additionalProperties: false,
      },
      schemaName: 'shopper_summary',
      ...settings,
    });
    const k = this.o.candidates;
    const { personas } = await llm.json<{ personas: Persona[] }>({
      messages: [system, { role: 'user', content: renderTemplate(this.prompts.propose, { summary, k }) }],
      schema: {
        type: 'object',
        properties: { personas: { type: 'array', minItems: k, maxItems: k, items: PERSONA_SCHEMA } },
        required: ['personas'],
        additionalProperties: false,
      },
      schemaName: 'shopper_persona_candidates',
      ...settings,
    });
    const probes = this.probes(persona, others);
    if (k <= 1 || probes.length === 0) {
      const candidates = personas.map((p) => ({
        persona: p,
        ownMean: null,
        otherMean: null,
        ownMae: null,
        otherMae: null,
        score: null,
      }));
      return { userId: persona.id, summary, candidates, chosen: 0, persona: personas[0] as Persona };
    }
    const codes = probes.map((_, i) => `a${i + 1}`);
    const items = probes.map((x, i) => `${codes[i]}: ${x.question}: ${x.answer}`).join('\n');
    const schema = {
      type: 'object',
      properties: Object.fromEntries(codes.map((c) => [c, { type: 'integer', minimum: 1, maximum: 5 }])),
      required: codes,
      additionalProperties: false,
    };
    const candidates: ScoredCandidate[] = await Promise.all(
      personas.map(async (p) => {
        const reply = await llm.json<Record<string, number>>({
          messages: [
            system,
            {
              role: 'user',
              content: renderTemplate(this.prompts.score, { persona: personaText(p), count: probes.length, items }),
            },
          ],
          schema,
          schemaName: 'shopper_persona_fit',
          ...settings,
        });
        const part = (own: boolean) =>
          mean(probes.flatMap((x, i) => (x.own === own ? [reply[codes[i] as string] as number] : [])));
        const ownMean = part(true);
        const otherMean = part(false);
        const score = ownMean === null ? null : ownMean - (otherMean ?? 0);
        return { persona: p, ownMean, otherMean, ownMae: null, otherMae: null, score };
      }),
    );
    const best = bestCandidate(candidates);
    return {
      userId: persona.id,
      summary,
      candidates,
      chosen: best,
      persona: (candidates[best] as ScoredCandidate).persona,
    };
  }
}
