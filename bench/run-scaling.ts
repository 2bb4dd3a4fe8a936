/**
 * Scaling of a whole run: the quickstart setup (synthetic-ratings; popularity,
 * mf, zero-shot on the offline LLM; preference-discrimination and rating) at
 * 200, 2,000 and 20,000 users, each run fresh and then again with nothing to
 * do, in a child process of its own (wall time, peak RSS from /usr/bin/time).
 *
 * Environment:
 *   SCALING_USERS=200,2000,20000   the sizes
 *   SCALING_ITEMS=grow|<n>         items = 2 × users (default), or fixed (e.g. 400)
 *   SCALING_BUDGET_S=900           a fresh run still going after this is stopped and
 *                                  reported as such (the bench goes on with the next size)
 *   SCALING_PROFILE=<dir>          write a V8 CPU profile of every run there
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../harness/results/manifest.js';

interface Measured {
  readonly seconds: number;
  readonly rssMb: number | null;
  readonly ok: boolean;
  readonly note?: string;
}

const TIME = '/usr/bin/time';

function runOnce(
  out: string,
  users: number,
  items: number,
  budget: number,
  profile: string | undefined,
  tag: string,
): Measured {
  const args = [
    ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile, '--cpu-prof-name', `${tag}.cpuprofile`] : []),
    '--import',
    'tsx',
    join(PROJECT_ROOT, 'harness/cli/main.ts'),
    'run',
    join(PROJECT_ROOT, 'configs/quickstart.yaml'),
    '--set',
    `datasets.0.users=${users}`,
    '--set',
    `datasets.0.items=${items}`,
    '--set',
    `output=${out}`,
    '--set',
    `cache.path=${join(out, 'cache/llm.sqlite')}`,
    '--set',
    'report.formats=[txt]',
    '--quiet',
  ];
  const withTime = existsSync(TIME);
  const t0 = performance.now();
  const r = spawnSync(
    withTime ? TIME : process.execPath,
    withTime ? ['-f', 'RSS_KB=%M', process.execPath, ...args] : args,
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: budget * 1000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const rss = /RSS_KB=(\d+)/.exec(r.stderr ?? '');
  const rssMb = rss ? Number(rss[1]) / 1024 : null;
  if (r.error || r.signal) return { seconds, rssMb, ok: false, note: `stopped after ${budget} s` };
  if (r.status !== 0)
    return {
      seconds,
      rssMb,
      ok: false,
      note: `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`,
    };
  return { seconds, rssMb, ok: true };
}

function unitsOf(dir: string): number {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    units?: { computed: number; skipped: number };
  };
  return (m.units?.computed ?? 0) + (m.units?.skipped ?? 0);
}

export async function benchRunScaling(): Promise<string[]> {
  const sizes = (process.env['SCALING_USERS'] ?? '200,2000,20000').split(',').map(Number);
  const itemsMode = process.env['SCALING_ITEMS'] ?? 'grow';
  const budget = Number(process.env['SCALING_BUDGET_S'] ?? 900);
  const profile = process.env['SCALING_PROFILE'];
  const lines = [
    `Scaling of the quickstart setup (items ${itemsMode === 'grow' ? '= 2 × users' : `fixed at ${itemsMode}`}; fresh run, then a no-op rerun; each in its own process):`,
    '  users    items     units   fresh s   units/s   no-op s  no-op/fresh  peak RSS MB (fresh/no-op)  metrics.json  unit-scores.bin',
  ];
  const fresh: Array<{ users: number; seconds: number }> = [];
  for (const users of sizes) {
    const items = itemsMode === 'grow' ? 2 * users : Number(itemsMode);
    const out = mkdtempSync(join(tmpdir(), 'usersim-scaling-'));
    const a = runOnce(out, users, items, budget, profile, `fresh-${users}x${items}`);
    if (!a.ok) {
      lines.push(
        `  ${String(users).padStart(6)} ${String(items).padStart(8)}   fresh run ${a.note} (${a.seconds.toFixed(1)} s)`,
      );
      rmSync(out, { recursive: true, force: true });
      continue;
    }
    const b = runOnce(out, users, items, budget, profile, `noop-${users}x${items}`);
    const dir = join(out, 'quickstart');
    const units = unitsOf(dir);
    const mb = (f: string) => (existsSync(join(dir, f)) ? (statSync(join(dir, f)).size / 1e6).toFixed(2) : '—');
    fresh.push({ users, seconds: a.seconds });
    lines.push(
      `  ${String(users).padStart(6)} ${String(items).padStart(8)} ${String(units).padStart(9)} ${a.seconds.toFixed(1).padStart(9)} ${(units / a.seconds).toFixed(0).padStart(9)} ${(b.ok ? b.seconds.toFixed(1) : (b.note ?? '?')).padStart(9)} ${(b.ok ? `${((100 * b.seconds) / a.seconds).toFixed(1)}%` : '—').padStart(12)}  ${`${a.rssMb?.toFixed(0) ?? '?'} / ${b.rssMb?.toFixed(0) ?? '?'}`.padStart(25)}  ${`${mb('metrics.json')} MB`.padStart(12)}  ${`${mb('unit-scores.bin')} MB`.padStart(15)}`,
    );
    rmSync(out, { recursive: true, force: true });
  }
  for (let k = 1; k < fresh.length; k++) {
    const p = fresh[k - 1] as { users: number; seconds: number };
    const q = fresh[k] as { users: number; seconds: number };
    const perTen = (q.seconds / p.seconds) ** (1 / Math.log10(q.users / p.users));
    lines.push(
      `  growth ${p.users} → ${q.users} users: × ${(q.seconds / p.seconds).toFixed(1)} fresh time, × ${perTen.toFixed(1)} per 10× users (target ≤ 12)`,
    );
  }
  lines.push('  targets at 20,000 users: no-op ≤ 5% of fresh, peak RSS ≤ 600 MB, metrics.json ≤ 5 MB');
  if (profile) lines.push(`  CPU profiles in ${profile}`);
  return lines;
}
