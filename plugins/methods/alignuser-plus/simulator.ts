import type { Item, Llm, Logger, RatingScale, UserView } from '../../../harness/plugin-api.js';
import type { LikeSelection, RateSelection } from '../alignuser/decision.js';
import type { AlignUserPrompts } from '../alignuser/fit.js';
import type { UserState } from '../alignuser/persona.js';
import { AlignUserSimulator } from '../alignuser/simulator.js';
import { CausalValidator } from './causal-validation.js';
import { evidenceBlock, MemoryBook, writeQueries, type QuerySettings } from './kg-memory.js';
import type { AlignUserPlusOptions } from './options.js';

export type AlignUserPlusPrompts = AlignUserPrompts & { readonly queries: string; readonly validate: string };

/** AlignUSER with knowledge-graph memory retrieval before screening and causal validation after selection. */
export class AlignUserPlusSimulator extends AlignUserSimulator {
  private readonly memories = new MemoryBook();
  private readonly querySettings: QuerySettings;
  private readonly validator: CausalValidator;

  constructor(
    method: string,
    private readonly plus: AlignUserPlusOptions,
    prompts: AlignUserPlusPrompts,
    log: Logger,
  ) {
    super(method, plus, prompts, log);
    const common = { system: prompts.system.trim(), state: prompts.state, temperature: plus.temperature, maxTokens: plus.maxTokens };
    this.querySettings = { ...common, template: prompts.queries, maxQueries: plus.memoryQueries };
    this.validator = new CausalValidator({ ...common, template: prompts.validate });
  }

  protected override async evidence(llm: Llm, user: UserView, state: UserState, coded: ReadonlyMap<string, Item>): Promise<string> {
    if (!this.plus.memoryRetrieval) return '';
    const memory = this.memories.of(user);
    const queries = await writeQueries(llm, state, coded, this.querySettings);
    return evidenceBlock(queries, memory.retrieve(queries, this.plus.evidencePerQuery, this.plus.maxEvidence));
  }

  protected override async checkLikes(llm: Llm, _user: UserView, state: UserState, coded: ReadonlyMap<string, Item>, selection: LikeSelection): Promise<LikeSelection> {
    if (!this.plus.causalValidation) return selection;
    return (await this.validator.likes(llm, state, coded, selection)).selection;
  }

  protected override async checkRatings(llm: Llm, _user: UserView, state: UserState, coded: ReadonlyMap<string, Item>, scale: RatingScale, selection: RateSelection): Promise<RateSelection> {
    if (!this.plus.causalValidation) return selection;
    return (await this.validator.ratings(llm, state, coded, scale, selection)).selection;
  }
}
