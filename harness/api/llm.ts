/** The LLM plugin contract (type-only). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { LlmProvider } from '../llm/types.js';
import type { BaseContext, PluginBase } from './plugin.js';

export interface LlmPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'llm';
  create(options: Static<S>, ctx: BaseContext): Promise<LlmProvider>;
}
