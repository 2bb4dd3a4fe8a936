import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

type AddFormats = (ajv: Ajv) => Ajv;
// ajv-formats ships CJS with a `default` property; which one is callable depends on the loader.
const addFormats: AddFormats =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as AddFormats)
    : (addFormatsModule as unknown as { default: AddFormats }).default;

/**
 * Ajv for configs and plugin options: every error at once, defaults applied.
 * `secret: true` marks fields that may use ${ENV}; `secretEnv: true` marks
 * fields that name an environment variable holding a secret (`apiKeyEnv`).
 * Both make the value a secret the redactor hides everywhere.
 */
export function createConfigAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    useDefaults: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'secretEnv', schemaType: 'boolean' });
  return ajv;
}

/** Ajv for LLM replies: lenient about schema keywords a provider may add, all errors reported. */
export function createReplyAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

export function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  if (e.keyword === 'additionalProperties')
    return `${where}: unknown property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  if (e.keyword === 'enum')
    return `${where}: ${e.message ?? 'invalid'} (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`;
  return `${where}: ${e.message ?? e.keyword}`;
}
