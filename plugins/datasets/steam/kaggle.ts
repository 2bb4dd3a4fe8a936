import { join } from 'node:path';
import { DataError, forEachLine, type LineReadResult, type UserRecord } from '../../../harness/plugin-api.js';
import { STEAM_FILES } from './downloads.js';
import type { SteamRows } from './steam-rows.js';

const FIX = 'use the CaseRecommender steam files as released (tab-separated, with a header line), or fetch them again';

export interface KaggleSteam {
  readonly users: UserRecord[];
  /** Game titles by Game_ID. */
  readonly titles: Map<string, string>;
  readonly checksums: Record<string, string>;
  /** Rows as read (duplicates included), for checking against the published counts. */
  readonly purchaseRows: number;
  readonly playRows: number;
}

/**
 * Kaggle steam-200k as CaseRecommender re-indexed it: game_purchase.dat
 * (User_ID, Game_ID, Purchase), game_play.dat (User_ID, Game_ID, Hours),
 * item_info.dat (Game_ID, Game Name), user_info.dat (New_ID, Real_ID); TSV
 * with a header line. Each purchased game is one interaction (duplicate
 * purchase rows collapse); its hours are the summed play rows, 0 when the
 * game was never played. No dates: timestamp 0.
 */
export async function readKaggle(dir: string, rows: SteamRows): Promise<KaggleSteam> {
  const f = STEAM_FILES.kaggle;
  const checksums: Record<string, string> = {};
  const read = async (
    name: string,
    header: readonly string[],
    onRow: (fields: string[], lineNo: number) => void,
  ): Promise<LineReadResult> => {
    const path = join(dir, name);
    const r = await forEachLine(
      path,
      (line, lineNo) => {
        const fields = line.split('\t');
        if (lineNo === 1) {
          if (fields.length !== header.length || fields.some((x, k) => x.trim() !== header[k])) {
            const missing = header.filter((h) => !fields.map((x) => x.trim()).includes(h));
            const sep =
              fields.length === 1 && /[,;| ]/.test(line)
                ? ` (the line is not tab-separated: ${JSON.stringify(line.slice(0, 40))})`
                : '';
            throw new DataError(
              path,
              1,
              `expected the header ${header.join('<TAB>')}${missing.length > 0 ? `; missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}` : ''}${sep}`,
              FIX,
            );
          }
          return;
        }
        if (fields.length !== header.length) {
          throw new DataError(
            path,
            lineNo,
            `expected ${header.length} tab-separated fields (${header.join(', ')}) but found ${fields.length}${fields.length === 1 && /[,;| ]/.test(line) ? ' (wrong delimiter?)' : ''}: ${JSON.stringify(line.slice(0, 60))}`,
            FIX,
          );
        }
        onRow(fields, lineNo);
      },
      { fix: FIX },
    );
    checksums[name] = r.sha256;
    return r;
  };
  const wholeNumber = (s: string, what: string, path: string, lineNo: number) => {
    if (!/^\d+$/.test(s))
      throw new DataError(join(dir, path), lineNo, `${what} ${JSON.stringify(s)} is not a whole number`, FIX);
    return s;
  };

  const titles = new Map<string, string>();
  await read(f.items, ['Game_ID', 'Game Name'], ([id, name], lineNo) =>
    titles.set(wholeNumber(id as string, 'Game_ID', f.items, lineNo), (name as string).trim()),
  );
  const users: UserRecord[] = [];
  await read(f.users, ['New_ID', 'Real_ID'], ([id, real], lineNo) =>
    users.push({
      id: wholeNumber(id as string, 'New_ID', f.users, lineNo),
      attributes: { steamId: (real as string).trim() },
    }),
  );

  const hours = new Map<string, number>();
  const play = await read(f.play, ['User_ID', 'Game_ID', 'Hours'], ([u, g, h], lineNo) => {
    const value = Number(h);
    if (!Number.isFinite(value) || value < 0)
      throw new DataError(join(dir, f.play), lineNo, `Hours ${JSON.stringify(h)} is not a non-negative number`, FIX);
    const key = `${wholeNumber(u as string, 'User_ID', f.play, lineNo)}\t${wholeNumber(g as string, 'Game_ID', f.play, lineNo)}`;
    hours.set(key, (hours.get(key) ?? 0) + value);
  });
  const seen = new Set<string>();
  let purchaseRows = 0;
  await read(f.purchases, ['User_ID', 'Game_ID', 'Purchase'], ([u, g], lineNo) => {
    purchaseRows++;
    const user = wholeNumber(u as string, 'User_ID', f.purchases, lineNo);
    const game = wholeNumber(g as string, 'Game_ID', f.purchases, lineNo);
    if (!titles.has(game))
      throw new DataError(join(dir, f.purchases), lineNo, `Game_ID ${game} is not in ${f.items}`, FIX);
    const key = `${user}\t${game}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.add(user, game, 0, hours.get(key) ?? 0, null);
  });
  return { users, titles, checksums, purchaseRows, playRows: play.lines - 1 };
}
