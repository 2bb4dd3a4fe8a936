/** The prompt templates of the method, as declared in `prompts:` (their hashes go to the manifest). */
export interface RecAgentPrompts {
  readonly system: string;
  readonly importance: string;
  readonly insight: string;
  readonly reflection: string;
  readonly discriminate: string;
  readonly rate: string;
  /** One action on a recommendation page (browse). */
  readonly page: string;
  /** Rating and feeling after watching an item (browse). */
  readonly watch: string;
  /** System prompt of the shopping-session calls (nextAction). */
  readonly shopperSystem: string;
  /** One action of a shopping session (nextAction). */
  readonly sessionAction: string;
}

export { askJson, type CallSettings } from '../shared/structured-calls.js';
