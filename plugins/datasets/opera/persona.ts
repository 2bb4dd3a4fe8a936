import { DataError, type PersonaRecord } from '../../../harness/plugin-api.js';

/** One row of OPeRA's user table (all strings, as the card documents). */
export interface UserRow {
  readonly user_id: unknown;
  readonly survey: unknown;
  readonly raw_survey?: unknown;
  readonly interview_transcript?: unknown;
  readonly interview_transcript_processed?: unknown;
}

const FIX =
  'use the OPeRA user table as released (user_id, survey as a JSON string, raw_survey, interview_transcript, interview_transcript_processed)';

/**
 * A persona from a user-table row: the survey's answers flattened to
 * attributes ("Gender", "Big Five Scores / Extraversion", …; the top-level
 * section names dropped, empty answers left out), and as persona text the
 * LLM-summarised interview when there is one, else the survey written out.
 * `where` names the row in errors (e.g. "row 2").
 */
export function personaFromRow(row: UserRow, file: string, where: string): PersonaRecord {
  const id = typeof row.user_id === 'string' ? row.user_id.trim() : '';
  if (id === '') throw new DataError(file, null, `${where}: user_id is empty`, FIX);
  let survey: unknown;
  try {
    survey = typeof row.survey === 'string' && row.survey.trim() !== '' ? JSON.parse(row.survey) : (row.survey ?? {});
  } catch (e) {
    throw new DataError(file, null, `${where} (user ${id}): survey is not valid JSON (${(e as Error).message})`, FIX);
  }
  if (survey === null || typeof survey !== 'object' || Array.isArray(survey)) {
    throw new DataError(
      file,
      null,
      `${where} (user ${id}): survey is ${Array.isArray(survey) ? 'a list' : typeof survey}, not a JSON object of sections`,
      FIX,
    );
  }
  const attributes: Record<string, string | number> = {};
  const walk = (v: unknown, path: string[]) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
      return;
    }
    const value = Array.isArray(v)
      ? v.filter((x) => x !== null && x !== '').join(', ')
      : typeof v === 'number'
        ? v
        : String(v).trim();
    if (value === '') return;
    // Section names ("Demographic Information", …) are dropped; deeper levels stay in the key.
    const key = path.length > 1 ? path.slice(1).join(' / ') : (path[0] ?? 'survey');
    attributes[key] = value;
  };
  walk(survey, []);
  const processed =
    typeof row.interview_transcript_processed === 'string' ? row.interview_transcript_processed.trim() : '';
  return { id, attributes, persona: processed !== '' ? processed : surveyText(survey as Record<string, unknown>) };
}

/** The survey as sections of "question: answer" lines. */
function surveyText(survey: Record<string, unknown>): string {
  const lines: string[] = [];
  const walk = (v: unknown, key: string, depth: number) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`${depth === 0 ? '### ' : `${'  '.repeat(depth - 1)}- `}${key}`);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, k, depth + 1);
    } else if (v !== null && v !== undefined && String(v).trim() !== '') {
      lines.push(
        `${'  '.repeat(Math.max(0, depth - 1))}- ${key}: ${Array.isArray(v) ? v.join(', ') : String(v).trim()}`,
      );
    }
  };
  for (const [k, v] of Object.entries(survey)) walk(v, k, 0);
  return lines.join('\n');
}
