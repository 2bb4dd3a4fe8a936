import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const ROOT = resolve(new URL('../', import.meta.url).pathname);
const RUNS = 7;

function wall(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [resolve(ROOT, 'bin/usersim.js'), ...args], { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`usersim ${args.join(' ')} exited ${r.status}`);
  return (performance.now() - t0) / 1000;
}

/**
 * `npm run bench -- cli`: wall time of `usersim --help` as a user starts it
 * (bin/usersim.js through tsx, a fresh process each time), median and worst
 * of RUNS after one warm-up (tsx's compile cache). Target: under 1 s.
 */
export async function benchCli(): Promise<string[]> {
  const out = [`cli (load average ${loadavg()[0]?.toFixed(1)})`];
  for (const args of [['--help'], ['run', '--help'], ['report', '--help']]) {
    wall(args);
    const times = Array.from({ length: RUNS }, () => wall(args)).sort((a, b) => a - b);
    const median = times[Math.floor(RUNS / 2)] as number;
    out.push(
      `  usersim ${args.join(' ')}: ${median.toFixed(2)} s median, ${(times.at(-1) as number).toFixed(2)} s worst of ${RUNS} (target < 1 s)${median < 1 ? '' : '  MISSED'}`,
    );
  }
  return out;
}
