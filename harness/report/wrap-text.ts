/** Greedy word wrap at `width` columns, each line after the first indented. */
export function wrapText(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = '';
  let lead = firstIndent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && lead.length + [...line].length + 1 + [...word].length > width) {
      lines.push(lead + line);
      lead = indent;
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(lead + line);
  return lines;
}
