/** The visit so far, as a prompt section ('' on the first page; otherwise a block ending in a blank line, like the other sections). */
export function visitBlock(pages: readonly string[]): string {
  return pages.length === 0 ? '' : `Earlier on this visit:\n${pages.map((p) => `- ${p}`).join('\n')}\n\n`;
}
