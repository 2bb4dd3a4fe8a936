import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(new URL('../../', import.meta.url).pathname);
export const CLI = resolve(PROJECT_ROOT, 'harness/cli/main.ts');
export const TSX = resolve(PROJECT_ROOT, 'node_modules/.bin/tsx');
