import type { Llm } from '../../../harness/plugin-api.js';

/** The prompt templates of the method, as declared in `prompts:` (their hashes go to the manifest). */
export interface Agent4RecPrompts {
  readonly system: string;
  readonly taste: string;
  readonly page: string;
  readonly ratePage: string;
  readonly reflection: string;
  readonly interview: string;
}

export interface CallSettings {
  readonly temperature: number;
  readonly maxTokens: number;
}

/** One structured call: a system prompt (none when empty), one user turn, a schema. */
export function askJson<T>(
  llm: Llm,
  settings: CallSettings,
  system: string,
  user: string,
  schema: Record<string, unknown>,
  schemaName: string,
): Promise<T> {
  return llm.json<T>({
    messages: system === '' ? [{ role: 'user', content: user }] : [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    schema,
    schemaName,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
  });
}
