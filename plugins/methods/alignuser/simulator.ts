import {
  IMPLICIT_RATING_SCALE,
  UnitError,
  type FitContext,
  type Item,
  type Llm,
  type Logger,
  type RatingScale,
  type Simulator,
  type TrainData,
  type UnitContext,
  type UserView,
  type Judgement,
  type PredictedAction,
  type RatingPrediction,
  type SessionsTrainData,
  type StepContext,
  type BrowseOutcome,
  type BrowsePage,
  type PageOutcome,
} from '../../../harness/plugin-api.js';
import { actionFromReply } from '../shared/session-actions.js';
import { perUser } from '../shared/per-user.js';
import { needLlm } from '../shared/structured-calls.js';
import {
  Decider,
  plainPage,
  recoded,
  type Blocks,
  type LikeSelection,
  type RateSelection,
  type ShownPage,
} from './decision.js';
import { AlignmentBuilder } from './alignment-data.js';
import { visitBlock } from './visit.js';
import { fitAlignUser, type AlignUserPrompts, type FitOutcome } from './fit.js';
import type { AlignUserOptions } from './options.js';
import { PersonaBook, type UserState } from './persona.js';
import { SessionRequests, type ActionSelection } from './session-decision.js';
import { fitAlignUserSessions, type SessionFitOutcome } from './session-fit.js';
import { codeItems } from '../shared/structured-calls.js';

/**
 * AlignUSER at inference: item screening, then action selection, with the
 * world model's next-state demonstrations (every backend) and the transitions
 * and lessons of fit retrieved into the prompt (in-context) or carried by a
 * trained model. alignuser-plus overrides the hooks.
 */
export class AlignUserSimulator implements Simulator {
  protected readonly personas: PersonaBook;
  protected readonly decider: Decider;
  protected fitted: FitOutcome | null = null;
  protected sessionFitted: SessionFitOutcome | null = null;
  protected readonly sessionRequests: SessionRequests;

  constructor(
    protected readonly method: string,
    protected readonly o: AlignUserOptions,
    protected readonly prompts: AlignUserPrompts,
    protected readonly log: Logger,
  ) {
    this.personas = new PersonaBook(o, new AlignmentBuilder(prompts, o).personaGeneration);
    this.decider = new Decider(prompts, o);
    this.sessionRequests = new SessionRequests(prompts, o);
  }

  async fit(train: TrainData, ctx: FitContext): Promise<void> {
    this.fitted = await fitAlignUser(this.method, train, ctx, this.prompts, this.o);
  }

  async fitSessions(train: SessionsTrainData, ctx: FitContext): Promise<void> {
    this.sessionFitted = await fitAlignUserSessions(this.method, train, ctx, this.prompts, this.o);
  }

  /** Retrieved transitions and lessons for this page (in-context), or a check that the run's LLM is the trained model. */
  protected experience(llm: Llm, items: readonly Item[], state: UserState): string {
    if (this.o.training === 'in-context') return this.fitted?.bank?.block(items, state.persona) ?? '';
    this.needTrained(llm, this.fitted?.trainedModel);
    return '';
  }

  /** Retrieved steps and lessons for this step (in-context), or a check that the run's LLM is the trained model. */
  protected stepExperience(llm: Llm, step: StepContext): string {
    if (this.o.training === 'in-context') return this.sessionFitted?.bank?.block(step) ?? '';
    this.needTrained(llm, this.sessionFitted?.trainedModel);
    return '';
  }

  /** Before any call of a unit: a trained-model backend must run on its trained model. */
  protected checkBackend(llm: Llm, fitted: string | null | undefined): void {
    if (this.o.training !== 'in-context') this.needTrained(llm, fitted);
  }

  /** openai-finetune / export: inference needs the model trained from fit's data (it carries the lessons), not the base model. */
  private needTrained(llm: Llm, fitted: string | null | undefined): void {
    const trained = fitted ?? this.o.trainedModel;
    if (trained === null || llm.model !== trained) {
      const hint =
        trained === null
          ? this.o.training === 'export'
            ? 'train a model on the exported JSONL, serve it, point llm: at it and set trainedModel to its name'
            : 'run fit to fine-tune a model first'
          : `rerun with --set llm.model=${trained} (or a method-level llm: naming it)`;
      throw new UnitError(
        'method',
        `${this.method} (training: ${this.o.training}) needs the model trained from its data, but the run's LLM is ${llm.model}: ${hint}`,
      );
    }
  }

  /** The page as the prompts show it: the release's item format (history ratings, similar items the user rated) once fit has run. */
  protected pageOf(user: UserView, items: readonly Item[]): ShownPage {
    const coded = codeItems(items);
    const evidence = this.fitted?.evidence;
    return evidence ? evidence.page(coded, user.history, user.scale, user.id) : plainPage(coded);
  }

  /** alignuser-plus: evidence retrieved from the user's memory. */
  protected async evidence(_llm: Llm, _user: UserView, _state: UserState, _page: ShownPage): Promise<string> {
    return '';
  }

  /** alignuser-plus: causal validation of the chosen likes. */
  protected async checkLikes(
    _llm: Llm,
    _user: UserView,
    _state: UserState,
    _page: ShownPage,
    selection: LikeSelection,
  ): Promise<LikeSelection> {
    return selection;
  }

  /** alignuser-plus: causal validation of the chosen ratings. */
  protected async checkRatings(
    _llm: Llm,
    _user: UserView,
    _state: UserState,
    _page: ShownPage,
    _scale: RatingScale,
    selection: RateSelection,
  ): Promise<RateSelection> {
    return selection;
  }

  /** alignuser-plus: evidence retrieved from the shopper's memory of earlier sessions. */
  protected async stepEvidence(_llm: Llm, _step: StepContext): Promise<string> {
    return '';
  }

  /** alignuser-plus: causal validation of the chosen action. */
  protected async checkAction(_llm: Llm, _step: StepContext, selection: ActionSelection): Promise<ActionSelection> {
    return selection;
  }

  private async blocks(llm: Llm, user: UserView, state: UserState, page: ShownPage): Promise<Blocks> {
    const items = [...page.coded.values()];
    const worldModel = this.fitted?.demos.block(items) ?? '';
    const experience = this.experience(llm, items, state);
    return { worldModel, experience, evidence: await this.evidence(llm, user, state, page) };
  }

  async discriminate(user: UserView, items: readonly Item[], unit: UnitContext): Promise<readonly Judgement[]> {
    const llm = needLlm(unit.llm, this.method);
    this.checkBackend(llm, this.fitted?.trainedModel);
    const state = await perUser(unit, user.id, 'persona', (l) => this.personas.stateOf(user, l));
    const page = this.pageOf(user, items);
    const blocks = await this.blocks(llm, user, state, page);
    const screening = await this.decider.screen(llm, state, page, blocks);
    const chosen = await this.decider.selectLikes(llm, state, page, screening, blocks);
    const final = await this.checkLikes(llm, user, state, page, chosen);
    return [...page.coded].map(([code, item]) => ({
      item: item.id,
      like: final.items[code]?.like === true,
      reason: final.items[code]?.rationale,
    }));
  }

  async rate(user: UserView, items: readonly Item[], unit: UnitContext): Promise<readonly RatingPrediction[]> {
    const scale = user.scale;
    if (!scale) throw new UnitError('method', 'the dataset has no rating scale');
    const llm = needLlm(unit.llm, this.method);
    this.checkBackend(llm, this.fitted?.trainedModel);
    const state = await perUser(unit, user.id, 'persona', (l) => this.personas.stateOf(user, l));
    const page = this.pageOf(user, items);
    const blocks = await this.blocks(llm, user, state, page);
    const screening = await this.decider.screen(llm, state, page, blocks);
    const chosen = await this.decider.selectRatings(llm, state, page, screening, scale, blocks);
    const final = await this.checkRatings(llm, user, state, page, scale, chosen);
    return [...page.coded].map(([code, item]) => ({
      item: item.id,
      rating: final.items[code]?.rating as number,
      reason: final.items[code]?.rationale,
    }));
  }

  /**
   * Closed-loop browsing (recommender evaluation), with the paper's two
   * inference steps per page: item screening (watch or skip), then action
   * selection (a rating for each watched item, with the same causal validation
   * hook as the rating task); then one call decides next page or leave. Earlier
   * pages of the visit reach later prompts in the evidence section; nothing is
   * kept between units. After the visit, the release's post-session
   * satisfaction scorer rates it 1–10 (satisfactionInterview).
   */
  async browse(user: UserView, pages: readonly BrowsePage[], unit: UnitContext): Promise<BrowseOutcome> {
    const llm = needLlm(unit.llm, this.method);
    this.checkBackend(llm, this.fitted?.trainedModel);
    const scale = user.scale ?? IMPLICIT_RATING_SCALE;
    const state = await perUser(unit, user.id, 'persona', (l) => this.personas.stateOf(user, l));
    const visit: string[] = [];
    const out: PageOutcome[] = [];
    for (const shown of pages) {
      const page = this.pageOf(user, shown.items);
      const base = await this.blocks(llm, user, state, page);
      const blocks: Blocks = { ...base, evidence: visitBlock(visit) + base.evidence };
      const screening = await this.decider.screen(llm, state, page, blocks);
      const chosen = new Map([...page.coded].filter(([code]) => screening[code]?.decision === 'watch'));
      let ratings: RateSelection['items'] = {};
      if (chosen.size > 0) {
        const watchedPage = recoded(page, chosen);
        const selection = await this.decider.selectRatings(llm, state, watchedPage, screening, scale, blocks);
        ratings = (await this.checkRatings(llm, user, state, watchedPage, scale, selection)).items;
      }
      const watched = [...chosen].map(([code, item]) => ({ item: item.id, rating: ratings[code]?.rating ?? null }));
      const outcome =
        watched.length === 0
          ? 'You watched none of them.'
          : `You watched ${[...chosen].map(([code, item]) => `${item.title} (rated ${ratings[code]?.rating ?? 'unrated'})`).join(', ')}.`;
      const decision = await this.decider.continueVisit(llm, state, shown.number, page, outcome, blocks);
      visit.push(`Page ${shown.number}: ${outcome} You ${decision === 'leave' ? 'left' : 'went on'}.`);
      out.push({ watched, exit: decision === 'leave' });
      if (decision === 'leave') break;
    }
    if (!this.o.satisfactionInterview) return { pages: out };
    const summary = visit.map((v) => `- ${v.replace(/\bYou\b/g, 'They').replace(/\byou\b/g, 'they')}`).join('\n');
    const scored = await this.decider.satisfaction(llm, state, summary);
    return { pages: out, satisfaction: scored.rating };
  }

  /**
   * Next action of a shopping session: action selection (step-by-step
   * reasoning, then the action and its rationale) with the world model's
   * next-state demonstrations and the retrieved steps and lessons of fit.
   * Reads only the step and what fit built, so every step is independent of
   * the others.
   */
  async nextAction(step: StepContext, unit: UnitContext): Promise<PredictedAction> {
    const llm = needLlm(unit.llm, this.method);
    const worldModel = this.sessionFitted?.demos.block(step) ?? '';
    const experience = this.stepExperience(llm, step);
    const evidence = await this.stepEvidence(llm, step);
    const selection = await llm.json<ActionSelection>(
      this.sessionRequests.select(step, { worldModel, experience, evidence }),
    );
    const final = await this.checkAction(llm, step, selection);
    return actionFromReply(final);
  }
}
