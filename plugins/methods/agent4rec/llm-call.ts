/** The prompt templates of the method, as declared in `prompts:` (their hashes go to the manifest). */
export interface Agent4RecPrompts {
  readonly system: string;
  readonly taste: string;
  readonly page: string;
  readonly ratePage: string;
  readonly reflection: string;
  readonly interview: string;
}

export { askJson, type CallSettings } from '../shared/structured-calls.js';
