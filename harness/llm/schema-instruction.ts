import type { ChatMessage, JsonSchema } from './types.js';

/** For endpoints without native structured output: the schema goes into the prompt instead. */
export function schemaInstruction(schema: JsonSchema): string {
  return `Reply with only one JSON value, no prose and no code fence, that satisfies this JSON Schema:\n${JSON.stringify(schema)}`;
}

/** Appends the instruction to the last user message (keeps a single system message intact). */
export function withSchemaInstruction(messages: readonly ChatMessage[], schema: JsonSchema): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }));
  for (let i = out.length - 1; i >= 0; i--) {
    const m = out[i] as ChatMessage;
    if (m.role === 'user') {
      out[i] = { role: 'user', content: `${m.content}\n\n${schemaInstruction(schema)}` };
      return out;
    }
  }
  out.push({ role: 'user', content: schemaInstruction(schema) });
  return out;
}
