import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export type OperaVersion = 'filtered' | 'full';
export type OperaTable = 'user' | 'session' | 'action';
export type OperaSplit = 'train' | 'test';

/** Where a table's files sit, relative to the dataset folder (the Hugging Face repository layout). */
export function tableFolder(version: OperaVersion, table: OperaTable): string {
  return join(`OPeRA_${version}`, table);
}

/**
 * The files of one table split, in the layouts the Hugging Face repository
 * has used: `OPeRA_<version>/<table>/<split>/<any>.parquet` and sharded
 * `OPeRA_<version>/<table>/<split>-00000-of-00002.parquet`. A user table may
 * also be a CSV export (`.csv`). `root` may be the repository folder or the
 * `OPeRA_<version>` folder itself.
 */
export function tableFiles(root: string, version: OperaVersion, table: OperaTable, split: OperaSplit): string[] {
  const base = basename(root) === `OPeRA_${version}` ? join(root, table) : join(root, tableFolder(version, table));
  if (!existsSync(base)) return [];
  const out: string[] = [];
  const ok = (f: string) => f.endsWith('.parquet') || (table === 'user' && f.endsWith('.csv'));
  const inSplit = join(base, split);
  if (existsSync(inSplit) && statSync(inSplit).isDirectory()) {
    for (const f of readdirSync(inSplit).sort()) if (ok(f)) out.push(join(inSplit, f));
  }
  for (const f of readdirSync(base).sort()) {
    if (ok(f) && (f === `${split}.parquet` || f === `${split}.csv` || f.startsWith(`${split}-`)))
      out.push(join(base, f));
  }
  return out;
}
