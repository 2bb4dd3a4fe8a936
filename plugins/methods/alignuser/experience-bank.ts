import { itemLine, LexicalIndex, type Item } from '../../../harness/plugin-api.js';
import type { AlignedTransition } from './alignment-data.js';
import { itemOf } from './pages.js';
import { block } from './text.js';

export interface RetrievalBudget {
  readonly retrieveTransitions: number;
  readonly retrieveLessons: number;
}

interface LessonDoc {
  readonly text: string;
}

/**
 * The in-context backend's memory of fit: human transitions and lessons,
 * indexed with BM25 and retrieved by similarity to the page at hand.
 */
export class ExperienceBank {
  private readonly transitionIndex: LexicalIndex;
  private readonly lessonIndex: LexicalIndex;
  private readonly transitionText = new Map<string, string>();
  private readonly lessons = new Map<string, LessonDoc>();

  constructor(
    aligned: readonly AlignedTransition[],
    private readonly items: ReadonlyMap<string, Item>,
    private readonly budget: RetrievalBudget,
  ) {
    const tDocs = [];
    const lDocs = [];
    for (const a of aligned) {
      const t = a.transition;
      const pageLines = t.page.map((id) => itemLine(itemOf(items, id)));
      tDocs.push({ id: t.id, text: pageLines.join('\n') });
      this.transitionText.set(t.id, this.describe(a));
      // Lessons are matched through the items they were drawn from: a lesson text alone rarely names a genre.
      if (a.reflection && a.reflection.lesson !== '') {
        const id = `${t.id}/page`;
        lDocs.push({ id, text: `${a.reflection.lesson}\n${pageLines.join('\n')}` });
        this.lessons.set(id, { text: a.reflection.lesson });
      }
      if (a.itemReflection && a.itemReflection.lesson !== '') {
        const id = `${t.id}/item`;
        lDocs.push({ id, text: `${a.itemReflection.lesson}\n${itemLine(itemOf(items, a.itemReflection.item))}` });
        this.lessons.set(id, { text: a.itemReflection.lesson });
      }
    }
    this.transitionIndex = new LexicalIndex(tDocs);
    this.lessonIndex = new LexicalIndex(lDocs);
  }

  get size(): { transitions: number; lessons: number } {
    return { transitions: this.transitionIndex.count, lessons: this.lessonIndex.count };
  }

  private describe(a: AlignedTransition): string {
    const t = a.transition;
    const watched = new Map(t.action.watched.map((w) => [w.item, w.rating]));
    const title = (id: string) => `"${itemOf(this.items, id).title}" [${itemOf(this.items, id).genres.join(', ')}]`;
    const w = t.action.watched.map((x) => `${title(x.item)}${x.rating !== null ? ` (rated ${x.rating})` : ''}`);
    const skipped = t.page.filter((id) => !watched.has(id)).map(title);
    const lesson = a.reflection?.lesson ?? a.itemReflection?.lesson;
    return `On a page of ${t.page.length} items a real person watched ${w.length > 0 ? w.join(', ') : 'nothing'} and skipped ${skipped.length > 0 ? skipped.join(', ') : 'nothing'}.${lesson ? ` Lesson: ${lesson}` : ''}`;
  }

  /** The experience block of an inference prompt for a page: lessons first, then similar human transitions; '' when nothing matches. */
  block(candidates: readonly Item[], persona: string): string {
    const query = `${persona}\n${candidates.map(itemLine).join('\n')}`;
    const lessonHits = this.lessonIndex.search(query, this.budget.retrieveLessons * 2);
    const lessons: string[] = [];
    for (const h of lessonHits) {
      const text = this.lessons.get(h.id)?.text;
      if (text && !lessons.includes(text)) lessons.push(text);
      if (lessons.length >= this.budget.retrieveLessons) break;
    }
    const transitions = this.transitionIndex
      .search(query, this.budget.retrieveTransitions)
      .map((h, k) => `${k + 1}. ${this.transitionText.get(h.id) ?? ''}`);
    return (
      block(
        "Lessons learned from comparing real people's choices with a simulator's alternatives:",
        lessons.map((l) => `- ${l}`),
      ) + block('Similar situations and what the real person did:', transitions)
    );
  }
}
