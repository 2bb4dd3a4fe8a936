import { join } from 'node:path';
import { DataError, forEachLine, type Interaction } from '../../../harness/plugin-api.js';
import { AMAZON_FILES } from './downloads.js';

export interface KgatData {
  /** Original Amazon reviewerIDs by remap id. */
  readonly users: readonly string[];
  /** ASINs by remap id. */
  readonly items: readonly string[];
  readonly train: Interaction[];
  readonly test: Interaction[];
  readonly checksums: Record<string, string>;
}

const FIX = 'use the KGAT amazon-book files as released (Data/amazon-book in the KGAT repository), or fetch them again';

/**
 * KGAT's amazon-book release: `user_list.txt` and `item_list.txt` map remap
 * ids back to Amazon reviewerIDs and ASINs (header line first);
 * `train.txt`/`test.txt` hold one line per user, `user item item …`.
 * Implicit feedback: every pair is a positive, no rating, no time (timestamp
 * 0, ours).
 */
export async function readKgat(dir: string): Promise<KgatData> {
  const f = AMAZON_FILES.kgat;
  const checksums: Record<string, string> = {};
  const users = await readIdList(join(dir, f.users), ['org_id', 'remap_id'], checksums);
  const items = await readIdList(join(dir, f.items), ['org_id', 'remap_id', 'freebase_id'], checksums);
  const pairs = async (name: string): Promise<Interaction[]> => {
    const path = join(dir, name);
    const out: Interaction[] = [];
    const r = await forEachLine(
      path,
      (line, lineNo) => {
        const tokens = line.trim().split(/\s+/);
        const u = remap(tokens[0] as string, users, 'user', path, lineNo);
        const user = users[u] as string;
        for (let k = 1; k < tokens.length; k++)
          out.push({
            user,
            item: items[remap(tokens[k] as string, items, 'item', path, lineNo)] as string,
            rating: null,
            timestamp: 0,
          });
      },
      { fix: FIX },
    );
    checksums[name] = r.sha256;
    return out;
  };
  const train = await pairs(f.train);
  const test = await pairs(f.test);
  return { users, items, train, test, checksums };
}

function remap(token: string, list: readonly string[], what: string, path: string, lineNo: number): number {
  if (!/^\d+$/.test(token)) {
    throw new DataError(
      path,
      lineNo,
      `${what} id ${JSON.stringify(token.slice(0, 30))} is not a whole number (KGAT lines are "user item item …", space-separated)`,
      FIX,
    );
  }
  const id = Number(token);
  if (id >= list.length)
    throw new DataError(
      path,
      lineNo,
      `${what} id ${id} is not in ${what}_list.txt (which has ${list.length} ${what}s)`,
      `the files come from different releases: ${FIX}`,
    );
  return id;
}

async function readIdList(
  path: string,
  header: readonly string[],
  checksums: Record<string, string>,
): Promise<string[]> {
  const ids: string[] = [];
  const r = await forEachLine(
    path,
    (line, lineNo) => {
      const fields = line.trim().split(/\s+/);
      if (lineNo === 1) {
        if (fields.join(' ') !== header.join(' ')) {
          throw new DataError(
            path,
            1,
            `expected the header line "${header.join(' ')}" but found ${JSON.stringify(line.slice(0, 60))}`,
            FIX,
          );
        }
        return;
      }
      if (fields.length < header.length)
        throw new DataError(
          path,
          lineNo,
          `expected ${header.length} space-separated fields (${header.join(' ')}) but found ${fields.length}`,
          FIX,
        );
      const id = fields[1] as string;
      if (!/^\d+$/.test(id) || Number(id) !== ids.length) {
        throw new DataError(
          path,
          lineNo,
          `remap_id ${JSON.stringify(id)} is out of sequence (expected ${ids.length})`,
          FIX,
        );
      }
      ids.push(fields[0] as string);
    },
    { fix: FIX },
  );
  if (ids.length === 0) throw new DataError(path, null, 'the id list is empty', FIX);
  checksums[path.slice(path.lastIndexOf('/') + 1)] = r.sha256;
  return ids;
}
