import {
  renderTemplate,
  type Llm,
  type PersonaRecord,
  type Session,
  type SessionProduct,
  type SessionsTrainData,
  type StepContext,
} from '../../../harness/plugin-api.js';
import { EvidenceIndex } from './evidence-index.js';
import { renderSessionState } from '../alignuser/session-decision.js';
import { askQueries, type QuerySettings } from './kg-memory.js';

const quote = (p: SessionProduct) =>
  `"${p.title}"${p.price ? ` (${p.price})` : ''}${p.options.length > 0 ? ` [${p.options.flatMap((o) => Object.entries(o).map(([k, v]) => `${k}: ${v}`)).join(', ')}]` : ''}`;

interface ProductNode {
  readonly product: SessionProduct;
  readonly acts: Map<string, number>;
}

const VERB: Readonly<Record<string, string>> = {
  product_link: 'opened',
  purchase: 'put in the cart or bought',
  review: 'read the reviews of',
  product_option: 'chose options of',
  quantity: 'changed the quantity of',
  cart_page_select: 'selected in the cart',
};

/**
 * A shopper's knowledge graph built from their **training** sessions and
 * survey, without an LLM: one text per earlier session (searches, products
 * opened and put in the cart, the outcome), per product they acted on, per
 * survey answer, and one on their habits (click types, purchase rate),
 * searched with BM25.
 */
export class SessionMemory extends EvidenceIndex {
  constructor(persona: PersonaRecord, sessions: readonly Session[]) {
    super();
    const add = (id: string, text: string) => this.add(id, text);
    const products = new Map<string, ProductNode>();
    const clicks = new Map<string, number>();
    sessions.forEach((s, k) => {
      const searches: string[] = [];
      const opened: string[] = [];
      const carted: string[] = [];
      for (const st of s.steps) {
        const a = st.action;
        if (a.type === 'input' && a.text) searches.push(`"${a.text}"`);
        if (a.type === 'click') clicks.set(a.clickType ?? 'other', (clicks.get(a.clickType ?? 'other') ?? 0) + 1);
        const act = a.type === 'click' ? (a.clickType ?? 'other') : a.type;
        for (const p of st.products) {
          if (act === 'product_link') opened.push(quote(p));
          if (act === 'purchase') carted.push(quote(p));
          let node = products.get(p.asin || p.title);
          if (!node) products.set(p.asin || p.title, (node = { product: p, acts: new Map() }));
          node.acts.set(act, (node.acts.get(act) ?? 0) + 1);
        }
      }
      const parts = [
        searches.length > 0 ? `you searched for ${[...new Set(searches)].join(', ')}` : 'you searched for nothing',
        opened.length > 0 ? `opened ${[...new Set(opened)].join(', ')}` : 'opened no product',
        carted.length > 0 ? `put in the cart or bought ${[...new Set(carted)].join(', ')}` : '',
      ].filter((p) => p !== '');
      add(
        `session:${k + 1}`,
        `Earlier session ${k + 1} (${s.steps.length} steps): ${parts.join('; ')}; it ${s.purchased ? 'ended in a purchase' : 'ended without a purchase'}.`,
      );
    });
    for (const [id, node] of [...products].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const acts = [...node.acts].map(([act, n]) => `${VERB[act] ?? `acted on (${act})`}${n > 1 ? ` ${n} times` : ''}`);
      add(`product:${id}`, `You ${acts.join(', ')} ${quote(node.product)}.`);
    }
    if (sessions.length > 0) {
      const bought = sessions.filter((s) => s.purchased).length;
      const top = [...clicks]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([c, n]) => `${c} (${n})`);
      add(
        'habits',
        `Your habits over ${sessions.length} earlier sessions: you bought in ${bought} of them; your most frequent clicks: ${top.length > 0 ? top.join(', ') : 'none'}.`,
      );
    }
    for (const [k, v] of Object.entries(persona.attributes)) add(`attr:${k}`, `Your ${k}: ${v}.`);
  }
}

/**
 * Memories built once per shopper from the train sessions fit saw. A memory
 * never changes after it is built, so every step stays independent of the
 * steps predicted before it.
 */
export class SessionMemoryBook {
  private readonly memories = new Map<string, SessionMemory>();
  private readonly byUser = new Map<string, Session[]>();

  constructor(train: SessionsTrainData | null) {
    for (const s of train?.sessions ?? []) {
      let list = this.byUser.get(s.user);
      if (!list) this.byUser.set(s.user, (list = []));
      list.push(s);
    }
  }

  of(persona: PersonaRecord): SessionMemory {
    let m = this.memories.get(persona.id);
    if (!m) this.memories.set(persona.id, (m = new SessionMemory(persona, this.byUser.get(persona.id) ?? [])));
    return m;
  }
}

/** The shopper's own queries for their memory: one structured call. */
export async function writeStepQueries(
  llm: Llm,
  step: StepContext,
  s: QuerySettings & { readonly maxHistorySteps: number },
): Promise<string[]> {
  return askQueries(
    llm,
    renderTemplate(s.template, { state: renderSessionState(s.state, step, s), maxQueries: s.maxQueries }),
    s,
  );
}
