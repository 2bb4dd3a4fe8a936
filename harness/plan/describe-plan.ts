import type { Plan } from './plan.js';

/** The plan as text (`usersim validate CONFIG --plan`): cells and their units, endpoints, fit stages. */
export function describePlan(plan: Plan): string {
  const cfg = plan.cfg;
  const lines: string[] = [];
  const runnable = plan.cells.filter((c) => c.units);
  const units = runnable.reduce((s, c) => s + (c.units?.length ?? 0), 0);
  lines.push(
    `plan of ${cfg.resolved.name}: ${plan.cells.length} cell(s), ${runnable.length} to run, ${units} unit(s); seeds ${cfg.seeds.join(', ')}`,
  );
  lines.push('', 'datasets:');
  for (const d of plan.datasets) {
    const ds = d.dataset;
    const size =
      ds.kind === 'ratings'
        ? `${ds.users.length} users, ${ds.items.length} items, split ${ds.split.name} (train ${ds.split.train.length}, valid ${ds.split.valid.length}, test ${ds.split.test.length})`
        : `${ds.users.length} shoppers, ${ds.sessions.length} sessions`;
    const recs =
      d.env.recommenders.length > 0 ? `; recommenders fitted: ${d.env.recommenders.map((r) => r.id).join(', ')}` : '';
    lines.push(`  ${d.id}${cfg.seeds.length > 1 ? ` (seed ${d.seed})` : ''}: ${ds.name}, ${size}${recs}`);
  }
  lines.push('', 'cells (dataset / task / method: units):');
  for (const c of plan.cells) {
    const seed = cfg.seeds.length > 1 ? ` seed ${c.seed}` : '';
    const what = c.units ? `${c.units.length} unit(s)` : `n/a (${c.naReason})`;
    lines.push(`  ${c.datasetId} / ${c.task.name} / ${c.method.id}${seed}: ${what}`);
  }
  lines.push('', 'LLM endpoints:');
  if (plan.endpoints.length === 0) lines.push('  (none: no method calls an LLM)');
  for (const e of plan.endpoints) {
    const p = e.provider;
    const where = (p.hints?.baseURL ?? '') ? ` at ${p.hints?.baseURL}` : '';
    const key = p.hints?.apiKeyEnv ? `, key from $${p.hints.apiKeyEnv}` : '';
    lines.push(
      `  ${p.provider} ${p.model}${where}${p.mock ? ' (offline mock)' : ''}${key}; execution ${e.runtime.execution}, ${e.runtime.maxConcurrency} in flight; used by ${e.usedBy.join(', ')}`,
    );
  }
  lines.push('', 'fit stages:');
  if (plan.fits.length === 0) lines.push('  (none)');
  for (const f of plan.fits)
    lines.push(
      `  ${f.method} on ${f.datasetId}${cfg.seeds.length > 1 ? ` (seed ${f.seed})` : ''}: ${f.on === 'ratings' ? 'fit on the train split' : 'fitSessions on the train sessions'}`,
    );
  const needs = cfg.tasks.map((t) => {
    const n = t.task.needs;
    const parts = [`${n.data} data`, `capability ${n.capabilities.join(' + ')}`];
    if (n.judge) parts.push('an LLM judge');
    if (n.ratingScale) parts.push('a rating scale');
    for (const r of n.refs ?? []) {
      const v = t.options[r.option];
      parts.push(`${r.option}: ${Array.isArray(v) ? v.join(', ') || '(none)' : (v ?? '(none)')}`);
    }
    return `  ${t.task.name} v${t.task.version}: ${parts.join('; ')}`;
  });
  lines.push('', 'task needs:', ...needs);
  return `${lines.join('\n')}\n`;
}
