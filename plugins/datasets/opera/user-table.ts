import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataError, sha256, type PersonaRecord } from '../../../harness/plugin-api.js';
import { forEachParquetRow } from './parquet-rows.js';
import { personaFromRow, type UserRow } from './persona.js';

const FIX =
  'use the OPeRA user table as released (Parquet, or a CSV export with columns user_id, survey, raw_survey, interview_transcript, interview_transcript_processed)';
const REQUIRED = ['user_id', 'survey'];

/**
 * The personas of one user-table file: Parquet as published on Hugging Face,
 * or a CSV export of it (pandas/datasets `to_csv`: a header line, JSON strings
 * and multi-line interview text in quoted fields).
 */
export async function readUserTable(path: string): Promise<{ personas: PersonaRecord[]; sha256: string }> {
  if (path.endsWith('.csv')) return readUserCsv(path);
  const personas: PersonaRecord[] = [];
  const r = await forEachParquetRow(
    path,
    REQUIRED,
    (row, rowNo) => personas.push(personaFromRow(row as unknown as UserRow, path, `row ${rowNo}`)),
    FIX,
    ['interview_transcript_processed'],
  );
  return { personas, sha256: r.sha256 };
}

export function readUserCsv(path: string): { personas: PersonaRecord[]; sha256: string } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new DataError(
      path,
      null,
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      FIX,
    );
  }
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(buf.toString('utf8'), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
    }) as Array<Record<string, string>>;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new DataError(path, err.lines ?? null, `not valid CSV (${err.message})`, FIX);
  }
  const first = records[0];
  if (!first) throw new DataError(path, null, 'the user table has no rows', FIX);
  const missing = REQUIRED.filter((c) => !(c in first));
  if (missing.length > 0)
    throw new DataError(
      path,
      1,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (header: ${Object.keys(first).join(', ')})`,
      FIX,
    );
  return {
    personas: records.map((r, k) => personaFromRow(r as unknown as UserRow, path, `record ${k + 1}`)),
    sha256: sha256(buf),
  };
}
