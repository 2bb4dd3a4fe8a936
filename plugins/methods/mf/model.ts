import type { Interaction, Rng } from '../../../harness/plugin-api.js';

export interface MfParams {
  readonly factors: number;
  readonly epochs: number;
  readonly lr: number;
  readonly reg: number;
  readonly initStd: number;
}

/**
 * Biased matrix factorisation, r̂ = μ + b_u + b_i + p_u·q_i, trained by SGD on
 * the squared error with L2 regularisation (Koren, Bell & Volinsky 2009; the
 * same update rule as Surprise's SVD).
 */
export class BiasedMf {
  private mu = 0;
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private bu = new Float64Array(0);
  private bi = new Float64Array(0);
  private P = new Float64Array(0);
  private Q = new Float64Array(0);

  constructor(private readonly p: MfParams) {}

  fit(ratings: readonly Interaction[], rng: Rng): void {
    const rows = ratings.filter((x) => x.rating !== null);
    if (rows.length === 0) throw new Error('mf: the training split has no ratings to fit');
    for (const x of rows) {
      if (!this.userIndex.has(x.user)) this.userIndex.set(x.user, this.userIndex.size);
      if (!this.itemIndex.has(x.item)) this.itemIndex.set(x.item, this.itemIndex.size);
    }
    const k = this.p.factors;
    const nu = this.userIndex.size;
    const ni = this.itemIndex.size;
    this.bu = new Float64Array(nu);
    this.bi = new Float64Array(ni);
    this.P = new Float64Array(nu * k);
    this.Q = new Float64Array(ni * k);
    for (let j = 0; j < this.P.length; j++) this.P[j] = rng.normal(0, this.p.initStd);
    for (let j = 0; j < this.Q.length; j++) this.Q[j] = rng.normal(0, this.p.initStd);
    const us = new Int32Array(rows.length);
    const is = new Int32Array(rows.length);
    const rs = new Float64Array(rows.length);
    let sum = 0;
    rows.forEach((x, n) => {
      us[n] = this.userIndex.get(x.user) as number;
      is[n] = this.itemIndex.get(x.item) as number;
      rs[n] = x.rating as number;
      sum += x.rating as number;
    });
    this.mu = sum / rows.length;
    const order = Int32Array.from(rows.keys());
    const { lr, reg } = this.p;
    const { bu, bi, P, Q } = this;
    for (let epoch = 0; epoch < this.p.epochs; epoch++) {
      for (let n = order.length - 1; n > 0; n--) {
        const m = rng.int(n + 1);
        const t = order[n] as number;
        order[n] = order[m] as number;
        order[m] = t;
      }
      for (let z = 0; z < order.length; z++) {
        const n = order[z] as number;
        const u = us[n] as number;
        const i = is[n] as number;
        const pu = u * k;
        const qi = i * k;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += (P[pu + f] as number) * (Q[qi + f] as number);
        const err = (rs[n] as number) - (this.mu + (bu[u] as number) + (bi[i] as number) + dot);
        bu[u] = (bu[u] as number) + lr * (err - reg * (bu[u] as number));
        bi[i] = (bi[i] as number) + lr * (err - reg * (bi[i] as number));
        for (let f = 0; f < k; f++) {
          const puf = P[pu + f] as number;
          const qif = Q[qi + f] as number;
          P[pu + f] = puf + lr * (err * qif - reg * puf);
          Q[qi + f] = qif + lr * (err * puf - reg * qif);
        }
      }
    }
  }

  /** Unknown users or items fall back to the biases that are known (Surprise does the same). */
  predict(user: string, item: string): number {
    const u = this.userIndex.get(user);
    const i = this.itemIndex.get(item);
    let r = this.mu;
    if (u !== undefined) r += this.bu[u] as number;
    if (i !== undefined) r += this.bi[i] as number;
    if (u !== undefined && i !== undefined) {
      const k = this.p.factors;
      for (let f = 0; f < k; f++) r += (this.P[u * k + f] as number) * (this.Q[i * k + f] as number);
    }
    return r;
  }
}
