/** The width the terminal table must fit: the terminal's, else $COLUMNS, else 100 (files, pipes). */
export function terminalWidth(): number {
  const env = Number(process.env['COLUMNS']);
  if (process.stdout.isTTY === true && process.stdout.columns) return process.stdout.columns;
  return Number.isInteger(env) && env >= 40 ? env : 100;
}
