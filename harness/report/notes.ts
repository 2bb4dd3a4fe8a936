import type { Cell } from '../results/metrics-file.js';
import { ABSENCE_TEXT, type Absence, type Table } from './table-model.js';

export type NoteFormat = 'txt' | 'md' | 'html' | 'tex';

/** How each format shows the best value and a paper's value, for the notes that explain them. */
const BEST: Record<NoteFormat, string> = {
  txt: '◀ (bold in a colour terminal)',
  md: 'Bold',
  html: 'Bold',
  tex: 'Bold',
};

const list = (xs: readonly string[]) => [...new Set(xs)].join('; ');

function absenceNote(a: Absence, cells: readonly Cell[], t: Table): string | null {
  const present = t.rows.some((r) => r.cells.some((c) => c.absence === a));
  if (!present) return null;
  const mark = ABSENCE_TEXT[a];
  const reasons = (kind: string) =>
    list(cells.filter((c) => c.status === 'n/a' && c.naKind === kind).map((c) => c.reason ?? `${c.method}: ${kind}`));
  switch (a) {
    case 'not-applicable':
      return `${mark}: the task does not apply to this dataset (${reasons('not-applicable') || 'not applicable'}).`;
    case 'no-capability':
      return `${mark}: the method lacks the capability the task needs (${reasons('no-capability')}).`;
    case 'not-asked':
      return `${mark}: the task's methods: list leaves the method out.`;
    case 'errored':
      return `${mark}: every unit of the cell ended in an error (kinds below).`;
    case 'no-value':
      return `${mark}: the units ran without error but none gave this score (e.g. Sat for a simulator without an exit interview).`;
  }
}

/**
 * The notes under a table, written for the format they appear in, and only
 * for what the table contains: a mark no cell carries is not explained.
 */
export function tableNotes(t: Table, format: NoteFormat): string[] {
  const notes: string[] = [];
  const valueCells = t.rows.flatMap((r) => r.cells.filter((c) => c.kind === 'value'));
  const st = t.statistics;
  const metricCols = t.columns.filter((c) => c.direction !== null);
  const anyCi = valueCells.some((c) => c.ci && !c.degenerate);
  if (st && anyCi)
    notes.push(
      format === 'txt' ? `±: half the interval, ${st.ci} (other formats print [lo, hi]).` : `[lo, hi]: ${st.ci}.`,
    );
  if (valueCells.some((c) => c.degenerate))
    notes.push('≡: every resample gives the same value (an interval of zero width, not shown); never marked best.');
  if (valueCells.some((c) => c.point))
    notes.push('Values without an interval are point values: one per method, nothing to resample.');
  const compared = metricCols.some((col) =>
    t.cells.some((c) => c.task === col.task && c.metrics[col.key]?.comparison !== undefined),
  );
  if (st?.test && st.baseline && compared) {
    const against = `${st.baseline} at α = ${st.alpha} (${st.test})`;
    notes.push(
      valueCells.some((c) => c.significant) ? `†: better than ${against}.` : `No value here is better than ${against}.`,
    );
  }
  if (t.rows.some((r) => r.cells.some((c) => c.best)))
    notes.push(
      `${BEST[format]}: the best value of its column among the rows that are not mock or reference; degenerate values are not ranked.`,
    );
  if (compared && t.rows.some((r) => r.baseline))
    notes.push(`(baseline): ${st?.baseline}, the method the others are tested against.`);
  if (t.rows.some((r) => r.mock))
    notes.push(
      '(mock): the deterministic offline LLM, chance level by design, for pipeline checks only; never marked best.',
    );
  if (metricCols.some((c) => c.judge?.mock))
    notes.push(
      '(mock judge): the offline mock LLM judged this column, so its values are chance level whatever the method.',
    );
  // A task's own reference rows (the humans, scored by the task) or, without one, the gap columns' fixed human means.
  for (const ref of t.rows.filter((r) => r.reference))
    notes.push(
      ref.method === '(human)'
        ? `${ref.label}: the human test sessions' means the gaps are measured from (pages per session; purchase rate in %): fixed values, not resampled.`
        : `${ref.label}: the dataset's humans, scored by the task from its own data (intervals over their units); never tested, never marked best.${
            t.cells.some((c) => Object.values(c.metrics).some((x) => x.estimator === 'gap'))
              ? " In a gap column the row shows the humans' own value (pages per session; purchase rate in %), not a gap."
              : ''
          }`,
    );
  const reported = valueCells.find((c) => c.reported);
  if (reported?.reported)
    notes.push(
      format === 'tex'
        ? `paper: the value reported in ${reported.reported.source}; ∈ inside our interval, ∉ outside.`
        : `paper: the value reported in ${reported.reported.source}; ✓ inside our interval, ✗ outside.`,
    );
  const apart = valueCells.find((c) => c.reported?.notComparable);
  if (apart?.reported?.notComparable)
    notes.push(
      `≠: the paper measured this value on other data than this run's, so it is shown but not compared (${apart.reported.notComparable}).`,
    );
  // n: shown in a cell only where it differs from its column's usual count (HTML shows it everywhere).
  const counted = metricCols.filter((c) => c.n !== null);
  const ns = [...new Set(counted.map((c) => c.n))];
  if (ns.length === 1)
    notes.push(`n = ${ns[0]} units per value${format === 'html' ? '' : ', unless a cell shows its own n'}.`);
  else if (ns.length > 1)
    notes.push(
      `n per value${format === 'html' ? '' : ', unless a cell shows its own'}: ${ns
        .map(
          (n) =>
            `${n} (${counted
              .filter((c) => c.n === n)
              .map((c) => c.label)
              .join(', ')})`,
        )
        .join('; ')}.`,
    );
  if (valueCells.some((c) => c.showN))
    notes.push(
      'A cell with fewer units than its column: its errored units, or units with nothing to score, are left out.',
    );
  for (const a of ['not-applicable', 'no-capability', 'not-asked', 'errored', 'no-value'] as const) {
    const note = absenceNote(a, t.cells, t);
    if (note) notes.push(note);
  }
  if (valueCells.some((c) => c.incomplete))
    notes.push('*: incomplete, some units of this cell have not run yet (rerun the config to finish).');
  const tasks = new Set(metricCols.map((c) => c.task));
  for (const c of t.cells.filter((x) => x.units.errors > 0 && tasks.has(x.task))) {
    const kinds = Object.entries(c.units.errorKinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    notes.push(`${c.method} / ${c.task}: ${c.units.errors} unit error(s) (${kinds}), left out of the metric.`);
  }
  const units = metricCols.filter((c) => c.unit);
  if (units.length > 0) {
    // One sentence per distinct unit: "Liked random, Liked pop: items per user …".
    const byUnit = new Map<string, string[]>();
    for (const c of units) byUnit.set(c.unit as string, [...(byUnit.get(c.unit as string) ?? []), c.label]);
    for (const [unit, labels] of byUnit) notes.push(`${labels.join(', ')}: ${unit}.`);
  }
  return notes;
}
