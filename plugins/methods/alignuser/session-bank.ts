import { actionText as stepActionText, LexicalIndex, type StepContext } from '../../../harness/plugin-api.js';
import type { RetrievalBudget } from './experience-bank.js';
import type { AlignedStep } from './session-alignment.js';
import { pageTitle, type SessionTransition } from './session-steps.js';
import { lastActionOf, stepMatchText, StepIndex } from './step-index.js';
import { block } from './text.js';

/**
 * The in-context backend's memory of a sessions fit: every human transition
 * of the sampled training sessions and the lessons of the aligned ones,
 * indexed with BM25 and retrieved by similarity to the step at hand (persona,
 * previous action, page).
 */
export class SessionExperienceBank {
  private readonly transitionIndex: StepIndex;
  private readonly lessonIndex: LexicalIndex;
  private readonly transitionText = new Map<string, string>();
  private readonly lessons = new Map<string, string>();

  constructor(
    transitions: readonly SessionTransition[],
    aligned: readonly AlignedStep[],
    private readonly budget: RetrievalBudget,
    index: StepIndex = new StepIndex(transitions),
  ) {
    const byId = new Map(aligned.map((a) => [a.id, a]));
    const lDocs = [];
    for (const t of transitions) {
      const text = stepMatchText(t.step);
      const lesson = byId.get(t.id)?.reflection?.lesson ?? '';
      this.transitionText.set(t.id, this.describe(t, lesson));
      // A lesson is matched through the step it was drawn from: its text alone rarely names the page.
      if (lesson !== '') {
        lDocs.push({ id: t.id, text: `${lesson}\n${text}` });
        this.lessons.set(t.id, lesson);
      }
    }
    this.transitionIndex = index;
    this.lessonIndex = new LexicalIndex(lDocs);
  }

  get size(): { transitions: number; lessons: number } {
    return { transitions: this.transitionIndex.count, lessons: this.lessonIndex.count };
  }

  private describe(t: SessionTransition, lesson: string): string {
    const why = t.rationale ? ` — because: ${t.rationale}` : '';
    return `On ${pageTitle(t.step.observation)} (${lastActionOf(t.step)}), a real shopper did: ${stepActionText(t.action)}${why}.${lesson ? ` Lesson: ${lesson}` : ''}`;
  }

  /** The experience block of a next-action prompt: lessons first, then similar human steps; '' when nothing matches. */
  block(step: StepContext): string {
    const query = stepMatchText(step);
    const lessons: string[] = [];
    for (const h of this.lessonIndex.search(query, this.budget.retrieveLessons * 2)) {
      const text = this.lessons.get(h.id);
      if (text && !lessons.includes(text)) lessons.push(text);
      if (lessons.length >= this.budget.retrieveLessons) break;
    }
    const similar = this.transitionIndex
      .search(step, this.budget.retrieveTransitions)
      .map((h, k) => `${k + 1}. ${this.transitionText.get(h.id) ?? ''}`);
    return (
      block(
        "Lessons learned from comparing real shoppers' actions with a simulator's alternatives:",
        lessons.map((l) => `- ${l}`),
      ) + block('Similar situations in other shopping sessions and what the real shopper did:', similar)
    );
  }
}
