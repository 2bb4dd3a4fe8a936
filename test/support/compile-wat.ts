/**
 * Compiles harness/stats/resample-kernels.wat with wabt. `npm run wasm`
 * writes the binary the harness loads; a test checks the committed binary is
 * the text compiled, so the two never drift apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

export const KERNELS_WAT = fileURLToPath(new URL('../../harness/stats/resample-kernels.wat', import.meta.url));
export const KERNELS_WASM = KERNELS_WAT.replace(/\.wat$/, '.wasm');

export async function compileWat(path: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(path, readFileSync(path, 'utf8'), { simd: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await compileWat(KERNELS_WAT);
  writeFileSync(KERNELS_WASM, bytes);
  console.log(`${KERNELS_WASM}: ${bytes.length} bytes`);
}
