import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { apiKeyFrom, sha256, type Logger } from '../../../harness/plugin-api.js';

export interface FineTuneSettings {
  readonly baseURL: string;
  readonly apiKeyEnv: string;
  readonly baseModel: string;
  readonly suffix: string;
  readonly pollMs: number;
}

export interface FineTuneResult {
  readonly jobId: string;
  readonly trainingFile: string;
  readonly model: string;
  readonly baseModel: string;
  readonly examples: number;
  readonly trainedTokens: number | null;
}

interface Pending {
  readonly sft: string;
  readonly baseModel: string;
  readonly baseURL: string;
  readonly jobId: string;
  readonly trainingFile: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Uploads the SFT file, starts a fine-tuning job and polls it until it ends.
 * The job id is written to `pendingPath` as soon as it exists, so a fit that
 * is interrupted while polling resumes the same job instead of paying twice.
 */
export async function runFineTune(
  jsonl: string,
  examples: number,
  s: FineTuneSettings,
  io: { readonly log: Logger; readonly pendingPath: string },
): Promise<FineTuneResult> {
  const client = new OpenAI({
    apiKey: apiKeyFrom(s.apiKeyEnv, 'OpenAI fine-tuning'),
    baseURL: s.baseURL.replace(/\/+$/, ''),
    maxRetries: 0,
  });
  const sft = sha256(jsonl);
  let pending = readPending(io.pendingPath);
  if (!pending || pending.sft !== sft || pending.baseModel !== s.baseModel || pending.baseURL !== s.baseURL) {
    const file = await client.files.create({
      file: await toFile(Buffer.from(jsonl, 'utf8'), 'alignuser-sft.jsonl'),
      purpose: 'fine-tune',
    });
    const job = await client.fineTuning.jobs.create({ model: s.baseModel, training_file: file.id, suffix: s.suffix });
    pending = { sft, baseModel: s.baseModel, baseURL: s.baseURL, jobId: job.id, trainingFile: file.id };
    mkdirSync(dirname(io.pendingPath), { recursive: true });
    writeFileSync(io.pendingPath, JSON.stringify(pending, null, 2) + '\n');
    io.log.info(
      `alignuser: fine-tuning job ${job.id} started on ${s.baseModel} with ${examples} examples (file ${file.id})`,
    );
  } else {
    io.log.info(`alignuser: resuming fine-tuning job ${pending.jobId}`);
  }
  let lastStatus = '';
  for (;;) {
    const job = await client.fineTuning.jobs.retrieve(pending.jobId);
    if (job.status !== lastStatus) {
      io.log.info(`alignuser: fine-tuning job ${job.id}: ${job.status}`);
      lastStatus = job.status;
    }
    if (job.status === 'succeeded') {
      if (!job.fine_tuned_model) throw new Error(`fine-tuning job ${job.id} succeeded but names no fine-tuned model`);
      rmSync(io.pendingPath, { force: true });
      return {
        jobId: job.id,
        trainingFile: pending.trainingFile,
        model: job.fine_tuned_model,
        baseModel: s.baseModel,
        examples,
        trainedTokens: job.trained_tokens ?? null,
      };
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      rmSync(io.pendingPath, { force: true });
      throw new Error(
        `alignuser: fine-tuning job ${job.id} ${job.status}${job.error?.message ? `: ${job.error.message}` : ''}`,
      );
    }
    await sleep(s.pollMs);
  }
}

function readPending(path: string): Pending | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Pending;
  } catch {
    return null;
  }
}
