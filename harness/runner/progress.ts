import cliProgress from 'cli-progress';
import type { FitReport } from '../llm/call-trail.js';
import type { UsageTotals } from '../llm/usage-meter.js';

/** bar: a redrawn bar (a terminal); lines: a plain line every few seconds (logs, Slurm, CI, pipes); off: nothing. */
export type ProgressMode = 'bar' | 'lines' | 'off';

export interface ProgressSources {
  readonly usage: () => UsageTotals;
  /** The fit running now (its items done of planned), if any. */
  readonly fit?: () => { readonly label: string; readonly report: FitReport } | null;
}

/** Seconds-weighted smoothing of the unit rate: the ETA follows changes within a minute or so, without jumping. */
const SMOOTHING_S = 30;

/**
 * Units done/total, rate and a smoothed ETA, plus LLM calls, cache hits,
 * tokens, cost and unit errors; while a fit runs, its items done of planned.
 * On a terminal a bar; elsewhere a plain line every `intervalMs` (10 s).
 */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly timer: NodeJS.Timeout | null = null;
  private done = 0;
  private errors = 0;
  private readonly started = performance.now();
  private lastAt = performance.now();
  private lastDone = 0;
  private rate: number | null = null;

  constructor(
    private readonly total: number,
    private readonly sources: ProgressSources,
    mode: ProgressMode,
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
    intervalMs = 10_000,
  ) {
    this.bar =
      mode === 'bar'
        ? new cliProgress.SingleBar(
            {
              format:
                ' {bar} {value}/{total} units | {rate}/s | ETA {eta} | {errors} errors | {calls} calls ({hits} cached) | {tokens} tok | ${cost}{fit}',
              barCompleteChar: '█',
              barIncompleteChar: '░',
              hideCursor: true,
              stream: process.stderr,
              fps: 5,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
    this.bar?.start(total, 0, this.payload());
    if (mode === 'lines' && total > 0) {
      this.write(this.line());
      this.timer = setInterval(() => this.write(this.line()), intervalMs);
      this.timer.unref();
    }
    if (mode === 'bar') {
      // The bar also moves while no unit finishes (a fit making its calls).
      this.timer = setInterval(() => this.bar?.update(this.done, this.payload()), 1000);
      this.timer.unref();
    }
  }

  private smoothRate(): number {
    const now = performance.now();
    const dt = (now - this.lastAt) / 1000;
    if (dt >= 1) {
      const instant = (this.done - this.lastDone) / dt;
      const w = 1 - Math.exp(-dt / SMOOTHING_S);
      this.rate = this.rate === null ? instant : this.rate + w * (instant - this.rate);
      this.lastAt = now;
      this.lastDone = this.done;
    }
    if (this.rate !== null && this.rate > 0) return this.rate;
    const secs = (now - this.started) / 1000;
    return secs > 0 ? this.done / secs : 0;
  }

  private eta(): string {
    const left = this.total - this.done;
    if (left <= 0) return '0s';
    const r = this.smoothRate();
    if (r <= 0) return '?';
    return formatSeconds(left / r);
  }

  private fitText(): string {
    const f = this.sources.fit?.();
    if (!f) return '';
    const r = f.report;
    const failed = r.failed > 0 ? `, ${r.failed} failed` : '';
    return ` | fit ${f.label}${r.stage ? ` (${r.stage})` : ''}: ${r.done}/${r.planned} items${failed}`;
  }

  private payload(): Record<string, string | number> {
    const u = this.sources.usage();
    return {
      rate: this.smoothRate().toFixed(1),
      eta: this.eta(),
      errors: this.errors,
      calls: u.calls,
      hits: u.cacheHits,
      tokens: u.input + u.output,
      cost: u.costUsd.toFixed(4),
      fit: this.fitText(),
    };
  }

  /** The plain progress line. */
  line(): string {
    const p = this.payload();
    const secs = (performance.now() - this.started) / 1000;
    return `progress: ${this.done}/${this.total} units (${p['errors']} errors) in ${formatSeconds(secs)}, ${p['rate']}/s, ETA ${p['eta']}; ${p['calls']} LLM calls (${p['hits']} cached), ${p['tokens']} tokens, $${p['cost']}${p['fit']}`;
  }

  tick(error = false): void {
    this.done++;
    if (error) this.errors++;
    this.bar?.update(this.done, this.payload());
  }

  stop(): string {
    if (this.timer) clearInterval(this.timer);
    this.bar?.stop();
    const secs = (performance.now() - this.started) / 1000;
    const u = this.sources.usage();
    const rate = secs > 0 ? (this.done / secs).toFixed(1) : '0';
    return `${this.done}/${this.total} units in ${secs.toFixed(1)} s (${rate}/s), ${this.errors} error(s); ${u.calls} LLM calls (${u.cacheHits} cached), ${u.input + u.output} tokens, $${u.costUsd.toFixed(4)}`;
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
