import type {
  FitContext,
  Llm,
  Logger,
  RatingScale,
  SessionsTrainData,
  StepContext,
  UserView,
} from '../../../harness/plugin-api.js';
import type { LikeSelection, RateSelection, ShownPage } from '../alignuser/decision.js';
import type { AlignUserPrompts } from '../alignuser/fit.js';
import type { UserState } from '../alignuser/persona.js';
import type { ActionSelection } from '../alignuser/session-decision.js';
import { AlignUserSimulator } from '../alignuser/simulator.js';
import { CausalValidator, validateAction, type ValidationSettings } from './causal-validation.js';
import { evidenceBlock, MemoryBook, writeQueries, type QuerySettings } from './kg-memory.js';
import type { AlignUserPlusOptions } from './options.js';
import { SessionMemoryBook, writeStepQueries } from './session-memory.js';

export type AlignUserPlusPrompts = AlignUserPrompts & {
  readonly queries: string;
  readonly validate: string;
  readonly sessionQueries: string;
  readonly sessionValidate: string;
};

/** AlignUSER with knowledge-graph memory retrieval before screening and causal validation after selection. */
export class AlignUserPlusSimulator extends AlignUserSimulator {
  private readonly memories = new MemoryBook();
  private readonly querySettings: QuerySettings;
  private readonly validator: CausalValidator;
  private readonly stepQuerySettings: QuerySettings & { readonly maxHistorySteps: number };
  private readonly stepValidation: ValidationSettings & { readonly maxHistorySteps: number };
  private sessionMemories = new SessionMemoryBook(null);

  constructor(
    method: string,
    private readonly plus: AlignUserPlusOptions,
    prompts: AlignUserPlusPrompts,
    log: Logger,
  ) {
    super(method, plus, prompts, log);
    const common = {
      system: prompts.system.trim(),
      state: prompts.state,
      temperature: plus.temperature,
      maxTokens: plus.maxTokens,
    };
    this.querySettings = { ...common, template: prompts.queries, maxQueries: plus.memoryQueries };
    this.validator = new CausalValidator({ ...common, template: prompts.validate });
    const sessionCommon = {
      system: prompts.sessionSystem.trim(),
      state: prompts.sessionState,
      temperature: plus.temperature,
      maxTokens: plus.maxTokens,
      maxHistorySteps: plus.maxHistorySteps,
    };
    this.stepQuerySettings = { ...sessionCommon, template: prompts.sessionQueries, maxQueries: plus.memoryQueries };
    this.stepValidation = { ...sessionCommon, template: prompts.sessionValidate };
  }

  override async fitSessions(train: SessionsTrainData, ctx: FitContext): Promise<void> {
    await super.fitSessions(train, ctx);
    this.sessionMemories = new SessionMemoryBook(train);
  }

  /** Evidence from the shopper's memory of their training sessions; no call when that memory is empty. */
  protected override async stepEvidence(llm: Llm, step: StepContext): Promise<string> {
    if (!this.plus.memoryRetrieval) return '';
    const memory = this.sessionMemories.of(step.persona);
    if (memory.size === 0) return '';
    const queries = await writeStepQueries(llm, step, this.stepQuerySettings);
    return evidenceBlock(queries, memory.retrieve(queries, this.plus.evidencePerQuery, this.plus.maxEvidence));
  }

  protected override async checkAction(
    llm: Llm,
    step: StepContext,
    selection: ActionSelection,
  ): Promise<ActionSelection> {
    if (!this.plus.causalValidation) return selection;
    return (await validateAction(llm, step, selection, this.stepValidation)).selection;
  }

  protected override async evidence(llm: Llm, user: UserView, state: UserState, page: ShownPage): Promise<string> {
    if (!this.plus.memoryRetrieval) return '';
    const memory = this.memories.of(user);
    const queries = await writeQueries(llm, state, page, this.querySettings);
    return evidenceBlock(queries, memory.retrieve(queries, this.plus.evidencePerQuery, this.plus.maxEvidence));
  }

  protected override async checkLikes(
    llm: Llm,
    _user: UserView,
    state: UserState,
    page: ShownPage,
    selection: LikeSelection,
  ): Promise<LikeSelection> {
    if (!this.plus.causalValidation) return selection;
    return (await this.validator.likes(llm, state, page, selection)).selection;
  }

  protected override async checkRatings(
    llm: Llm,
    _user: UserView,
    state: UserState,
    page: ShownPage,
    scale: RatingScale,
    selection: RateSelection,
  ): Promise<RateSelection> {
    if (!this.plus.causalValidation) return selection;
    return (await this.validator.ratings(llm, state, page, scale, selection)).selection;
  }
}
