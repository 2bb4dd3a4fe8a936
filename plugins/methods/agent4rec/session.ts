import { UnitError, type Llm, type RatingScale } from '../../../harness/plugin-api.js';
import { itemQuery } from '../shared/structured-calls.js';
import { satisfactionInterview, type InterviewAnswer } from './interview.js';
import { askJson, type Agent4RecPrompts, type CallSettings } from './llm-call.js';
import { Agent4RecMemory, memoriesText, type MemoryOptions } from './memory.js';
import {
  fatigueNote,
  pageItemLine,
  pageSchema,
  parsePage,
  parseRatePage,
  ratePageSchema,
  renderPage,
  type ItemMeanOf,
  type PageItem,
  type PageReaction,
  type RatedPage,
} from './page.js';
import { reflectOnSatisfaction, type SatisfactionReflection } from './reflection.js';

export interface SessionDeps {
  readonly prompts: Agent4RecPrompts;
  readonly settings: CallSettings;
  /** The agent's system prompt: role and profile. */
  readonly system: string;
  readonly memory: MemoryOptions;
  /** Historical (mean training) rating of an item; null hides them. */
  readonly meanOf: ItemMeanOf | null;
  readonly scale: RatingScale;
  readonly littleTiredAfter: number;
  readonly veryTiredAfter: number;
}

/**
 * One visit of an agent to the recommender: pages in order, a memory that
 * starts empty (as in the paper) and fills with factual and emotional
 * entries, reflections when due, the exit decision and, on request, the
 * satisfaction interview. Each unit gets its own session, so concurrent
 * units of one user never see each other's pages.
 * LLM calls: one per page, plus one per reflection that falls due before a
 * later page (or before the interview), plus one for the interview.
 */
export class BrowsingSession {
  readonly memory: Agent4RecMemory;
  readonly pages: PageReaction[] = [];
  readonly ratedPages: RatedPage[] = [];
  readonly reflections: SatisfactionReflection[] = [];
  /** First page after which the agent chose to leave; null while it keeps browsing. */
  exitPage: number | null = null;
  interviewAnswer: InterviewAnswer | null = null;

  constructor(private readonly deps: SessionDeps) {
    this.memory = new Agent4RecMemory(deps.memory);
  }

  get pagesSeen(): number {
    return this.pages.length + this.ratedPages.length;
  }

  private async reflectIfDue(llm: Llm): Promise<void> {
    if (!this.memory.reflectionDue) return;
    this.reflections.push(
      await reflectOnSatisfaction(this.memory, llm, { ...this.deps, entries: this.deps.memory.retrieveK }),
    );
  }

  private pageVars(page: readonly PageItem[], number: number) {
    return {
      memories: memoriesText(this.memory.retrieve(page.map((p) => itemQuery(p.item)).join(' '))),
      page: number,
      fatigue: fatigueNote(number, this.deps.littleTiredAfter, this.deps.veryTiredAfter),
      items: page.map((p) => pageItemLine(p, this.deps.meanOf, this.deps.scale)).join('\n'),
      scale: this.deps.scale,
    };
  }

  /**
   * A recommendation page: per item align yes/no, watch among the aligned,
   * a rating and a feeling per watched item; then the page's overall feeling,
   * fatigue and next/exit. The page is remembered as one factual and one
   * emotional entry.
   */
  async browse(page: readonly PageItem[], llm: Llm): Promise<PageReaction> {
    await this.reflectIfDue(llm);
    const number = this.pagesSeen + 1;
    const codes = page.map((p) => p.code);
    const reply = await askJson<Parameters<typeof parsePage>[0]>(
      llm,
      this.deps.settings,
      this.deps.system,
      renderPage(this.deps.prompts.page, this.pageVars(page, number)),
      pageSchema(codes, this.deps.scale),
      'recommendation_page',
    );
    const r = parsePage(reply, number, codes, this.deps.scale);
    this.pages.push(r);
    const title = (c: string) => (page.find((p) => p.code === c) as PageItem).item.title;
    const watched = codes.filter((c) => r.items.get(c)?.watch);
    const rejected = codes.filter((c) => !r.items.get(c)?.align);
    this.memory.add(
      'factual',
      `Page ${number} recommended ${codes.map(title).join('; ')}. I watched ${
        watched.length === 0
          ? 'none of them'
          : watched.map((c) => `${title(c)} (rated ${r.items.get(c)?.rating ?? 'unrated'})`).join(', ')
      }. Not to my taste: ${rejected.length === 0 ? 'none' : rejected.map(title).join(', ')}.`,
    );
    this.memory.add(
      'emotional',
      `After page ${number} I felt ${r.feeling} about the recommendations (${r.feelingReason}); I was ${r.fatigue} and ${r.decision === 'next' ? 'went on to the next page' : 'wanted to leave'}.`,
    );
    if (r.decision === 'exit' && this.exitPage === null) this.exitPage = number;
    return r;
  }

  /** Items the agent is made to watch: a rating and a feeling per item, remembered as one factual and one emotional entry. */
  async rate(page: readonly PageItem[], llm: Llm): Promise<RatedPage> {
    await this.reflectIfDue(llm);
    const number = this.pagesSeen + 1;
    const codes = page.map((p) => p.code);
    const reply = await askJson<Parameters<typeof parseRatePage>[0]>(
      llm,
      this.deps.settings,
      this.deps.system,
      renderPage(this.deps.prompts.ratePage, this.pageVars(page, number)),
      ratePageSchema(codes, this.deps.scale),
      'rating_page',
    );
    const r = parseRatePage(reply, number, codes, this.deps.scale);
    this.ratedPages.push(r);
    const title = (c: string) => (page.find((p) => p.code === c) as PageItem).item.title;
    this.memory.add(
      'factual',
      `On page ${number} I watched ${codes.map((c) => `${title(c)} (rated ${r.items.get(c)?.rating})`).join(', ')}.`,
    );
    this.memory.add(
      'emotional',
      `How page ${number} left me feeling: ${codes.map((c) => `${title(c)}: ${r.items.get(c)?.feeling || 'no particular feeling'}`).join('; ')}.`,
    );
    return r;
  }

  /** The 1–10 satisfaction interview at exit (a due reflection is made first, as the paper reflects as memories arrive). */
  async interview(llm: Llm): Promise<InterviewAnswer> {
    if (this.pagesSeen === 0) throw new UnitError('method', 'agent4rec: an interview needs at least one browsed page');
    await this.reflectIfDue(llm);
    this.interviewAnswer = await satisfactionInterview(
      { memories: this.memory.entries, pagesSeen: this.pagesSeen, exitPage: this.exitPage },
      llm,
      this.deps,
    );
    return this.interviewAnswer;
  }
}
