import type { Item, TrainData, UserView } from '../../../harness/plugin-api.js';

export type NodeKind = 'user' | 'item' | 'genre';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
}

/**
 * An edge as seen from one of its ends. Every edge is stored at both ends so
 * that paths may walk it either way; `forward` says whether this walk follows
 * the edge's direction (user →rated→ item) or goes against it.
 */
export interface Step {
  readonly rel: string;
  readonly to: string;
  readonly forward: boolean;
  /** The rating on a `rated` edge; null elsewhere or for implicit feedback. */
  readonly weight: number | null;
}

export interface Path {
  readonly nodes: readonly string[];
  readonly steps: readonly Step[];
}

/** One hop of a meta-path: a relation and the direction it is walked in. */
export interface MetaStep {
  readonly rel: string;
  readonly forward: boolean;
}

/**
 * A small typed, directed multigraph held in memory. Generic on purpose: the
 * ratings graph below is one use; the closed-loop tasks may add others
 * (searches, pages) later without changing the traversal code.
 */
export class KnowledgeGraph {
  private readonly nodeMap = new Map<string, GraphNode>();
  private readonly adjacency = new Map<string, Step[]>();
  private readonly edgeKeys = new Set<string>();

  /** Adds a node; a node that exists keeps its first kind and label. */
  addNode(id: string, kind: NodeKind, label: string): void {
    if (this.nodeMap.has(id)) return;
    this.nodeMap.set(id, { id, kind, label });
    this.adjacency.set(id, []);
  }

  hasNode(id: string): boolean {
    return this.nodeMap.has(id);
  }

  node(id: string): GraphNode | undefined {
    return this.nodeMap.get(id);
  }

  get nodeCount(): number {
    return this.nodeMap.size;
  }

  get edgeCount(): number {
    return this.edgeKeys.size;
  }

  /** Adds `from →rel→ to`; the same triple twice is kept once (returns false). Both nodes must exist. */
  addEdge(from: string, rel: string, to: string, weight: number | null = null): boolean {
    const a = this.adjacency.get(from);
    const b = this.adjacency.get(to);
    if (!a || !b) throw new Error(`knowledge graph: edge ${from} -${rel}-> ${to} names a node that was not added`);
    const key = `${from}\u0000${rel}\u0000${to}`;
    if (this.edgeKeys.has(key)) return false;
    this.edgeKeys.add(key);
    a.push({ rel, to, forward: true, weight });
    b.push({ rel, to: from, forward: false, weight });
    return true;
  }

  /** Steps out of a node, optionally only one relation walked in one direction. */
  steps(id: string, rel?: string, forward?: boolean): readonly Step[] {
    const all = this.adjacency.get(id) ?? [];
    if (rel === undefined && forward === undefined) return all;
    return all.filter((s) => (rel === undefined || s.rel === rel) && (forward === undefined || s.forward === forward));
  }

  neighbours(id: string, rel?: string, forward?: boolean): string[] {
    return this.steps(id, rel, forward).map((s) => s.to);
  }

  /**
   * Every simple path from `from` to `to` with at most `maxHops` edges, shortest
   * first, then in a stable order (by node ids). Exhaustive depth-first search:
   * meant for small graphs and for checking the specialised retrieval below.
   */
  paths(from: string, to: string, maxHops: number, limit = 10_000): Path[] {
    const out: Path[] = [];
    if (!this.nodeMap.has(from) || !this.nodeMap.has(to)) return out;
    const nodes = [from];
    const steps: Step[] = [];
    const onPath = new Set([from]);
    const walk = (at: string): void => {
      if (out.length >= limit) return;
      if (at === to && steps.length > 0) {
        out.push({ nodes: [...nodes], steps: [...steps] });
        return;
      }
      if (steps.length === maxHops) return;
      for (const s of this.steps(at)) {
        if (onPath.has(s.to)) continue;
        onPath.add(s.to);
        nodes.push(s.to);
        steps.push(s);
        walk(s.to);
        steps.pop();
        nodes.pop();
        onPath.delete(s.to);
      }
    };
    walk(from);
    const key = (p: Path) =>
      p.nodes.join('\u0000') + '\u0001' + p.steps.map((s) => `${s.rel}${s.forward ? '>' : '<'}`).join(',');
    return out.sort((a, b) => a.steps.length - b.steps.length || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** How many instances of `metaPath` start at `from`, by the node they end at. */
  metaPathCounts(from: string, metaPath: readonly MetaStep[]): Map<string, number> {
    let frontier = new Map<string, number>([[from, 1]]);
    for (const m of metaPath) {
      const next = new Map<string, number>();
      for (const [at, n] of frontier) {
        for (const s of this.steps(at, m.rel, m.forward)) next.set(s.to, (next.get(s.to) ?? 0) + n);
      }
      frontier = next;
    }
    return frontier;
  }

  /**
   * PathSim (Sun et al., VLDB 2011) of x and y along the symmetric meta-path
   * made of `half` and its reverse: 2·|x⇝y| / (|x⇝x| + |y⇝y|), in [0, 1].
   * The number of instances of the full path through a middle node m is the
   * product of the half-path counts, so only half-paths are walked.
   */
  pathSim(x: string, y: string, half: readonly MetaStep[]): number {
    const cx = this.metaPathCounts(x, half);
    const cy = this.metaPathCounts(y, half);
    const dot = (a: Map<string, number>, b: Map<string, number>) => {
      let s = 0;
      for (const [m, n] of a) s += n * (b.get(m) ?? 0);
      return s;
    };
    const denom = dot(cx, cx) + dot(cy, cy);
    return denom === 0 ? 0 : (2 * dot(cx, cy)) / denom;
  }
}

// ---------------------------------------------------------------- the ratings graph

export const RATED = 'rated';
export const HAS_GENRE = 'has_genre';

export const userNode = (id: string) => `user:${id}`;
export const itemNode = (id: string) => `item:${id}`;
export const genreNode = (genre: string) => `genre:${genre.trim().toLowerCase()}`;

/** Evidence that links the user to a candidate: user →rated→ X, then X ~ candidate by shared genres and/or shared raters. */
export interface PathEvidence {
  /** The item the user rated that the path runs through. */
  readonly via: Item;
  readonly rating: number | null;
  /** user →rated→ X →has_genre→ g ←has_genre← candidate, one g each. */
  readonly sharedGenres: readonly string[];
  /** user →rated→ X ←rated← v →rated→ candidate, counted over other users v. */
  readonly coRaters: number;
  /** PathSim along item–genre–item plus (when used) item–user–item. */
  readonly score: number;
}

export interface EvidenceOptions {
  readonly topK: number;
  /** Use paths through other users (co-rating); off: genre paths only. */
  readonly collaborative: boolean;
}

/**
 * The user–item–attribute graph of SimUSER's memory: users →rated(r)→ items
 * →has_genre→ genres, built from training interactions only. Candidates are
 * added as item and genre nodes, never with a rating edge, so nothing held
 * out can enter it.
 */
export class RatingsGraph {
  readonly graph = new KnowledgeGraph();
  private readonly items = new Map<string, Item>();
  private readonly usersAdded = new Set<string>();

  static fromTrain(train: TrainData): RatingsGraph {
    const g = new RatingsGraph();
    for (const item of train.items) g.addItem(item);
    for (const x of train.interactions) {
      const item = g.items.get(x.item);
      if (!item) continue;
      g.addRating(x.user, item, x.rating);
    }
    for (const u of train.users) g.usersAdded.add(u.id);
    for (const x of train.interactions) g.usersAdded.add(x.user);
    return g;
  }

  addItem(item: Item): void {
    const id = itemNode(item.id);
    if (this.graph.hasNode(id)) return;
    this.items.set(item.id, item);
    this.graph.addNode(id, 'item', item.title);
    for (const genre of item.genres) {
      if (genre.trim() === '') continue;
      this.graph.addNode(genreNode(genre), 'genre', genre.trim());
      this.graph.addEdge(id, HAS_GENRE, genreNode(genre));
    }
  }

  addRating(userId: string, item: Item, rating: number | null): void {
    this.addItem(item);
    this.graph.addNode(userNode(userId), 'user', userId);
    this.graph.addEdge(userNode(userId), RATED, itemNode(item.id), rating);
  }

  /** Adds a user's training history when the graph was not built from the whole training split (no fit). */
  ensureUser(user: UserView): void {
    if (this.usersAdded.has(user.id)) return;
    this.usersAdded.add(user.id);
    this.graph.addNode(userNode(user.id), 'user', user.id);
    for (const h of user.history) this.addRating(user.id, h.item, h.rating);
  }

  /**
   * The strongest 3-hop paths from the user to a candidate, grouped by the
   * rated item X they pass through. Paths are found by meeting in the middle
   * (neighbours of X ∩ neighbours of the candidate) rather than by walking
   * every user → X → m → candidate path, which matters on MovieLens-1M where
   * an item has thousands of raters. X is ranked by PathSim along
   * item–genre–item plus, when collaborative, item–user–item with the user
   * themself left out **(ours: equal weights)**.
   */
  evidence(userId: string, candidate: Item, opts: EvidenceOptions): PathEvidence[] {
    this.addItem(candidate);
    const u = userNode(userId);
    const c = itemNode(candidate.id);
    if (!this.graph.hasNode(u)) return [];
    const genresOf = (item: string) => new Set(this.graph.neighbours(item, HAS_GENRE, true));
    const ratersOf = (item: string) => {
      const s = new Set(this.graph.neighbours(item, RATED, false));
      s.delete(u);
      return s;
    };
    const gc = genresOf(c);
    const uc = opts.collaborative ? ratersOf(c) : new Set<string>();
    const found: PathEvidence[] = [];
    for (const step of this.graph.steps(u, RATED, true)) {
      const x = step.to;
      if (x === c) continue;
      const gx = genresOf(x);
      const shared = [...gx].filter((g) => gc.has(g));
      let co = 0;
      let ux = 0;
      if (opts.collaborative && uc.size > 0) {
        const raters = ratersOf(x);
        ux = raters.size;
        for (const v of raters) if (uc.has(v)) co++;
      }
      const igi = shared.length === 0 ? 0 : (2 * shared.length) / (gx.size + gc.size);
      const iui = co === 0 ? 0 : (2 * co) / (ux + uc.size);
      const score = igi + iui;
      if (score <= 0) continue;
      const via = this.items.get(x.slice('item:'.length));
      if (!via) continue;
      found.push({
        via,
        rating: step.weight,
        sharedGenres: shared.map((g) => this.graph.node(g)?.label ?? g).sort(),
        coRaters: co,
        score,
      });
    }
    return found
      .sort((a, b) => b.score - a.score || (a.via.id < b.via.id ? -1 : a.via.id > b.via.id ? 1 : 0))
      .slice(0, opts.topK);
  }
}

/** One evidence path in words, for the prompt: the user's own rating, then what links X to the candidate. */
export function evidenceText(e: PathEvidence, scaleMax: number | null): string {
  const rated =
    e.rating === null
      ? `you interacted with "${e.via.title}"`
      : `you rated "${e.via.title}" ${e.rating}${scaleMax !== null ? `/${scaleMax}` : ''}`;
  const links: string[] = [];
  if (e.sharedGenres.length > 0) links.push(`it shares ${e.sharedGenres.join(', ')} with this item`);
  if (e.coRaters > 0) links.push(`${e.coRaters} other user${e.coRaters === 1 ? '' : 's'} rated both`);
  return `${rated}; ${links.join('; ')}`;
}
