import { renderTemplate, type Llm, type UserView } from '../../../harness/plugin-api.js';
import { EvidenceIndex } from './evidence-index.js';
import { renderState, type ShownPage } from '../alignuser/decision.js';
import type { UserState } from '../alignuser/persona.js';
import { block } from '../alignuser/text.js';

interface GenreNode {
  count: number;
  sum: number;
  rated: number;
  liked: string[];
  disliked: string[];
}

/**
 * A user's knowledge graph (user –rated→ item –has→ attribute, user –has→
 * demographic) built from their training interactions and the items'
 * attributes, stored as one short text per node and edge bundle and searched
 * with BM25.
 */
export class KnowledgeGraphMemory extends EvidenceIndex {
  constructor(user: UserView) {
    super();
    const add = (id: string, text: string) => this.add(id, text);
    const scale = user.scale;
    const genres = new Map<string, GenreNode>();
    for (const h of user.history) {
      const rating = h.rating === null ? 'watched' : `rated ${h.rating}${scale ? `/${scale.max}` : ''}`;
      const genreText = h.item.genres.length > 0 ? ` It is ${h.item.genres.join(', ')}.` : '';
      add(
        `item:${h.item.id}`,
        `You ${rating} "${h.item.title}".${genreText}${h.item.description ? ` ${h.item.description}` : ''}`,
      );
      for (const g of h.item.genres) {
        let n = genres.get(g);
        if (!n) genres.set(g, (n = { count: 0, sum: 0, rated: 0, liked: [], disliked: [] }));
        n.count++;
        if (h.rating !== null) {
          n.sum += h.rating;
          n.rated++;
          if (h.rating >= 4) n.liked.push(h.item.title);
          if (h.rating <= 2) n.disliked.push(h.item.title);
        }
      }
    }
    for (const [g, n] of [...genres].sort(([a], [b]) => a.localeCompare(b))) {
      const mean = n.rated > 0 ? `, ${(n.sum / n.rated).toFixed(1)} on average` : '';
      const liked =
        n.liked.length > 0
          ? ` Liked: ${n.liked
              .slice(-5)
              .map((t) => `"${t}"`)
              .join(', ')}.`
          : '';
      const disliked =
        n.disliked.length > 0
          ? ` Disliked: ${n.disliked
              .slice(-5)
              .map((t) => `"${t}"`)
              .join(', ')}.`
          : '';
      add(
        `genre:${g}`,
        `Genre ${g}: you watched ${n.count} item${n.count === 1 ? '' : 's'}${mean}.${liked}${disliked}`,
      );
    }
    for (const [k, v] of Object.entries(user.attributes)) add(`attr:${k}`, `Your ${k}: ${v}.`);
  }
}

/** Memories built once per user and kept for later tasks. */
export class MemoryBook {
  private readonly memories = new Map<string, KnowledgeGraphMemory>();

  of(user: UserView): KnowledgeGraphMemory {
    let m = this.memories.get(user.id);
    if (!m) this.memories.set(user.id, (m = new KnowledgeGraphMemory(user)));
    return m;
  }
}

export interface QuerySettings {
  readonly system: string;
  readonly state: string;
  readonly template: string;
  readonly maxQueries: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export function queriesSchema(max: number): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      queries: { type: 'array', minItems: 1, maxItems: max, items: { type: 'string', minLength: 1, maxLength: 100 } },
    },
    required: ['queries'],
    additionalProperties: false,
  };
}

/** The agent's own queries for its memory: one structured call. */
export async function writeQueries(llm: Llm, state: UserState, page: ShownPage, s: QuerySettings): Promise<string[]> {
  return askQueries(
    llm,
    renderTemplate(s.template, {
      state: renderState({ state: s.state }, state),
      count: page.coded.size,
      items: page.text,
      maxQueries: s.maxQueries,
    }),
    s,
  );
}

/** One structured call for up to `maxQueries` memory queries, given the rendered prompt (ratings or sessions state). */
export async function askQueries(llm: Llm, content: string, s: QuerySettings): Promise<string[]> {
  const reply = await llm.json<{ queries: string[] }>({
    messages: [
      { role: 'system', content: s.system },
      { role: 'user', content },
    ],
    schema: queriesSchema(s.maxQueries),
    schemaName: 'memory_queries',
    temperature: s.temperature,
    maxTokens: s.maxTokens,
  });
  return reply.queries
    .map((q) => q.trim())
    .filter((q) => q !== '')
    .slice(0, s.maxQueries);
}

export function evidenceBlock(queries: readonly string[], evidence: readonly string[]): string {
  return block(
    `What your memory says (searched for: ${queries.map((q) => `"${q}"`).join('; ')}):`,
    evidence.map((e) => `- ${e}`),
  );
}
