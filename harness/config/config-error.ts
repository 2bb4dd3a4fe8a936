export type PathSeg = string | number;

/** One problem in a config, located in the file (or the --set flag) it came from. */
export interface ConfigIssue {
  /** File path, or "--set a.b=c" for a command-line override. */
  readonly source: string;
  readonly line?: number;
  readonly col?: number;
  readonly path: readonly PathSeg[];
  readonly message: string;
}

export function formatPath(path: readonly PathSeg[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s === '' ? '(top level)' : s;
}

export function formatIssue(i: ConfigIssue): string {
  const where = i.line !== undefined ? `${i.source}:${i.line}:${i.col ?? 1}` : i.source;
  return `${where}: ${formatPath(i.path)}: ${i.message}`;
}

/** Every problem found in a config, reported together: one problem is one line, several are counted and listed. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      issues.length === 1
        ? formatIssue(issues[0] as ConfigIssue)
        : `${issues.length} problems in the config:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
