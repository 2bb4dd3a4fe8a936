/**
 * Fills `{{name}}` placeholders. A placeholder without a value is an error, so
 * that a renamed variable never silently sends a prompt with a hole in it.
 */
export function renderTemplate(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined)
      throw new Error(
        `Prompt template uses {{${name}}} but no value was given for it (have: ${Object.keys(vars).join(', ')})`,
      );
    return String(v);
  });
}
