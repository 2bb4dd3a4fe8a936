import cliProgress from 'cli-progress';
import type { UsageTotals } from '../llm/usage-meter.js';

/**
 * Units done/total, rate and ETA, plus LLM calls, tokens and cost. Drawn on a
 * TTY only; elsewhere (CI, pipes) one summary line at the end.
 */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private done = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly usage: () => UsageTotals,
    enabled: boolean,
  ) {
    this.bar = enabled
      ? new cliProgress.SingleBar(
          {
            format:
              ' {bar} {value}/{total} units | {rate}/s | ETA {eta_formatted} | {calls} calls ({hits} cached) | {tokens} tok | ${cost}',
            barCompleteChar: '█',
            barIncompleteChar: '░',
            hideCursor: true,
            stream: process.stderr,
            etaBuffer: 50,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, this.payload());
  }

  private payload(): Record<string, string | number> {
    const secs = (performance.now() - this.started) / 1000;
    const u = this.usage();
    return {
      rate: secs > 0 ? (this.done / secs).toFixed(1) : '0',
      calls: u.calls,
      hits: u.cacheHits,
      tokens: u.input + u.output,
      cost: u.costUsd.toFixed(4),
    };
  }

  tick(): void {
    this.done++;
    this.bar?.update(this.done, this.payload());
  }

  stop(): string {
    this.bar?.stop();
    const secs = (performance.now() - this.started) / 1000;
    const p = this.payload();
    return `${this.done}/${this.total} units in ${secs.toFixed(1)} s (${p['rate']}/s); ${p['calls']} LLM calls (${p['hits']} cached), ${p['tokens']} tokens, $${p['cost']}`;
  }
}
