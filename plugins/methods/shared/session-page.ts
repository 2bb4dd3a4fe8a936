import type { PersonaRecord } from '../../../harness/plugin-api.js';

/**
 * Short texts of a shop page and of a persona's survey that simulators put in
 * their own prompts and memories (what is shown of a page, what memory is
 * searched with). Shared so that the same page reads the same way in every
 * simulator's memory.
 */

/** A page's title (its first line, without "Page:"), at most 120 characters. */
export function pageTitle(observation: string): string {
  const first = (observation.split('\n', 1)[0] ?? '').replace(/^Page:\s*/, '');
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

/** The lines of a page before its element list (title, URL, search box, products): what memory is searched with. */
export function pageHead(observation: string): string {
  const lines = observation.split('\n');
  const k = lines.findIndex((l) => /^Interactive elements/.test(l));
  return (k < 0 ? lines.slice(0, 8) : lines.slice(0, k)).join('\n');
}

/** The survey answers, one "- question: answer" line each. */
export function surveyText(p: PersonaRecord): string {
  const lines = Object.entries(p.attributes).map(([k, v]) => `- ${k}: ${v}`);
  return lines.length === 0 ? '(no survey answers)' : lines.join('\n');
}
