import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../util/secrets.js';

/** A batch submitted to a provider, saved in the results dir so a stopped run resumes by id. */
export interface BatchRecord {
  readonly id: string;
  /** Which LLM configuration (door) it belongs to. */
  readonly door: string;
  readonly provider: string;
  readonly model: string;
  readonly keys: readonly string[];
  status: 'submitted' | 'ingested' | 'failed';
  readonly submittedAt: string;
  finishedAt?: string;
  message?: string;
}

export class BatchLedger {
  private readonly path: string;
  readonly records: BatchRecord[];

  constructor(dir: string) {
    this.path = join(dir, 'batches.json');
    this.records = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as BatchRecord[]) : [];
  }

  outstanding(door: string): BatchRecord[] {
    return this.records.filter((r) => r.door === door && r.status === 'submitted');
  }

  add(r: BatchRecord): void {
    this.records.push(r);
    this.save();
  }

  save(): void {
    const tmp = `${this.path}.tmp`;
    // A failed batch's message is what the provider said, which may echo the key.
    writeFileSync(tmp, redact(JSON.stringify(this.records, null, 2) + '\n'));
    renameSync(tmp, this.path);
  }
}
