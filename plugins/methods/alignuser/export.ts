import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChatExample } from './policy-examples.js';

export const SFT_FILE = 'alignuser-sft.jsonl';

export function toJsonl(examples: readonly ChatExample[]): string {
  return examples.map((e) => JSON.stringify({ messages: e.messages })).join('\n') + '\n';
}

/** Writes the chat-format SFT file into `dir` (write-then-rename, so a reader never sees half a file) and returns its path. */
export function writeSftFile(dir: string, examples: readonly ChatExample[], name = SFT_FILE): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, toJsonl(examples));
  renameSync(`${path}.tmp`, path);
  return path;
}
