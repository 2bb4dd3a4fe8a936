import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWat, KERNELS_WASM, KERNELS_WAT } from '../../support/compile-wat.js';

describe('resample-kernels.wasm', () => {
  it('is resample-kernels.wat compiled (run `npm run wasm` after editing the text)', async () => {
    const compiled = await compileWat(KERNELS_WAT);
    expect(Buffer.from(readFileSync(KERNELS_WASM)).equals(Buffer.from(compiled))).toBe(true);
  });
});
