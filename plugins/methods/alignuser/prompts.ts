/** Template files of AlignUSER, hashed into the manifest; alignuser-plus declares them too and adds its own. */
export const ALIGNUSER_PROMPTS = {
  system: new URL('./prompts/system.md', import.meta.url),
  state: new URL('./prompts/state.md', import.meta.url),
  screen: new URL('./prompts/screen.md', import.meta.url),
  selectLike: new URL('./prompts/select-like.md', import.meta.url),
  selectRate: new URL('./prompts/select-rate.md', import.meta.url),
  browseContinue: new URL('./prompts/browse-continue.md', import.meta.url),
  satisfaction: new URL('./prompts/satisfaction.md', import.meta.url),
  satisfactionSystem: new URL('./prompts/satisfaction-system.md', import.meta.url),
  personaGeneration: new URL('./prompts/persona-generation.md', import.meta.url),
  personaSystem: new URL('./prompts/persona-system.md', import.meta.url),
  fitSystem: new URL('./prompts/fit-system.md', import.meta.url),
  counterfactual: new URL('./prompts/counterfactual.md', import.meta.url),
  worldModel: new URL('./prompts/world-model.md', import.meta.url),
  reflection: new URL('./prompts/reflection.md', import.meta.url),
  itemReflection: new URL('./prompts/item-reflection.md', import.meta.url),
  policy: new URL('./prompts/policy.md', import.meta.url),
  sessionSystem: new URL('./prompts/session-system.md', import.meta.url),
  sessionState: new URL('./prompts/session-state.md', import.meta.url),
  sessionSelect: new URL('./prompts/session-select.md', import.meta.url),
  sessionFitSystem: new URL('./prompts/session-fit-system.md', import.meta.url),
  sessionCounterfactual: new URL('./prompts/session-counterfactual.md', import.meta.url),
  sessionWorldModel: new URL('./prompts/session-world-model.md', import.meta.url),
  sessionReflection: new URL('./prompts/session-reflection.md', import.meta.url),
  sessionPolicy: new URL('./prompts/session-policy.md', import.meta.url),
} as const;

export type AlignUserPromptName = keyof typeof ALIGNUSER_PROMPTS;

/** The templates as read by the harness, checked to be all there. */
export function promptsFrom(
  texts: Readonly<Record<string, string>>,
  names: readonly string[],
  method: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const t = texts[name];
    if (t === undefined) throw new Error(`${method}: prompt template "${name}" was not loaded`);
    out[name] = t;
  }
  return out;
}
