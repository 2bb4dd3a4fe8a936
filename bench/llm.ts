import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { LlmCache } from '../harness/llm/cache.js';
import { LlmDoor } from '../harness/llm/door.js';
import { loadPriceTable } from '../harness/llm/prices.js';
import { LlmRuntimeOptions, type LlmRuntime } from '../harness/llm/runtime-options.js';
import type { LlmProvider, LlmRequest } from '../harness/llm/types.js';
import { emptyTotals } from '../harness/llm/usage-meter.js';
import openaiPlugin from '../plugins/llms/openai/index.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? Number.NaN;
};
const median = (xs: number[]) => pct(xs, 0.5);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The LLM layer against a local OpenAI-compatible server that answers after a
 * fixed 100 ms: with 64 requests in flight the ideal is 640 calls/s. Reports
 * the achieved rate, the harness's own overhead per call (door time minus the
 * provider call), and replay speed from the SQLite cache.
 */
export async function benchLlm(): Promise<string[]> {
  const LATENCY = 100;
  const INFLIGHT = 64;
  const CALLS = 64 * 60;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./llm-server-process.ts', import.meta.url).pathname, String(LATENCY)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const baseURL = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  const server = {
    baseURL,
    close: async () => {
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'usersim-bench-llm-'));
  process.env['USERSIM_BENCH_KEY'] = 'sk-bench';
  try {
    const real = await openaiPlugin.create(
      {
        model: 'gpt-4.1-mini',
        baseURL: server.baseURL,
        apiKeyEnv: 'USERSIM_BENCH_KEY',
        structured: 'json-schema',
        maxTokensParam: 'max_tokens',
      },
      { seed: 1, configDir: dir, log: { info() {}, warn() {} } },
    );
    const providerMs: number[] = [];
    const timed: LlmProvider = {
      ...real,
      async complete(r, s) {
        const t0 = performance.now();
        try {
          return await real.complete(r, s);
        } finally {
          providerMs.push(performance.now() - t0);
        }
      },
    };
    const runtime: LlmRuntime = { ...(Value.Default(LlmRuntimeOptions, {}) as LlmRuntime), maxConcurrency: INFLIGHT };
    const cache = new LlmCache(join(dir, 'llm.sqlite'));
    const door = new LlmDoor(timed, { runtime, cache, cacheOnly: false, prices: loadPriceTable(), seed: 1 });
    const schema = {
      type: 'object',
      properties: { like: { type: 'boolean' }, reason: { type: 'string' } },
      required: ['like', 'reason'],
      additionalProperties: false,
    };
    const request = (i: number): LlmRequest => ({
      messages: [
        { role: 'system', content: 'You stand in for one person in a study of recommender systems.' },
        {
          role: 'user',
          content: `About you: age 31; occupation engineer. Would you like item ${i}: The Silent Harbor [Drama, Mystery]?`,
        },
      ],
      schema,
      temperature: 0,
      maxTokens: 64,
    });

    // Warm up connections and the JIT.
    const warm = door.meter(emptyTotals(), new AbortController().signal);
    await Promise.all(Array.from({ length: INFLIGHT }, (_, i) => warm.complete(request(-1 - i))));
    providerMs.length = 0;

    const doorMs: number[] = [];
    const llm = door.meter(emptyTotals(), new AbortController().signal);
    let next = 0;
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: INFLIGHT }, async () => {
        for (let i = next++; i < CALLS; i = next++) {
          const s = performance.now();
          await llm.complete(request(i));
          doorMs.push(performance.now() - s);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    loopDelay.disable();
    const rate = CALLS / secs;
    // Overhead: what a call spends in the harness around the provider call (cache lookup and store, limiter, retry wrapper, pricing).
    const sortedOverhead = median(doorMs) - median(providerMs);

    // Reference: the same load from a bare node:http client (no SDK, no harness), the ceiling this machine allows.
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: INFLIGHT });
    const url = new URL(`${server.baseURL}/chat/completions`);
    const bare = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const payload = JSON.stringify({ model: 'gpt-4.1-mini', messages: request(i).messages, max_tokens: 64 });
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              authorization: 'Bearer sk-bench',
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    let nextBare = 0;
    const b0 = performance.now();
    await Promise.all(
      Array.from({ length: INFLIGHT }, async () => {
        for (let i = nextBare++; i < CALLS; i = nextBare++) await bare(i);
      }),
    );
    const bareRate = CALLS / ((performance.now() - b0) / 1000);
    agent.destroy();

    // Replay: the same requests again, all from the cache.
    const replayLlm = door.meter(emptyTotals(), new AbortController().signal);
    const r0 = performance.now();
    for (let i = 0; i < CALLS; i++) await replayLlm.complete(request(i));
    const replaySecs = (performance.now() - r0) / 1000;
    cache.close();
    return [
      `LLM layer vs local OpenAI-compatible server (fixed ${LATENCY} ms, ${INFLIGHT} in flight, ${CALLS} calls, real openai SDK):`,
      `  achieved ${rate.toFixed(1)} calls/s; ideal ${(INFLIGHT * 1000) / LATENCY}/s; ratio ${(rate / ((INFLIGHT * 1000) / LATENCY)).toFixed(3)} (target ≥ 0.95)`,
      `  reference: a bare node:http client (no SDK, no harness) reaches ${bareRate.toFixed(1)} calls/s = ${(bareRate / ((INFLIGHT * 1000) / LATENCY)).toFixed(3)} of ideal on this machine; the harness reaches ${((rate / bareRate) * 100).toFixed(1)}% of that`,
      `  harness overhead per call (median door time − median provider time): ${sortedOverhead.toFixed(3)} ms (target ≤ 0.3 ms)`,
      `  max in flight seen by the limiter: ${door.maxInFlight}; median provider call ${median(providerMs).toFixed(1)} ms; harness process CPU ${((cpu.user + cpu.system) / 1000 / CALLS).toFixed(2)} ms per call`,
      `  provider call p50/p90/p99 ${pct(providerMs, 0.5).toFixed(1)}/${pct(providerMs, 0.9).toFixed(1)}/${pct(providerMs, 0.99).toFixed(1)} ms, mean ${mean(providerMs).toFixed(2)} ms; door call mean ${mean(doorMs).toFixed(2)} ms; harness event-loop delay p50/p99/max ${(loopDelay.percentile(50) / 1e6).toFixed(2)}/${(loopDelay.percentile(99) / 1e6).toFixed(2)}/${(loopDelay.max / 1e6).toFixed(2)} ms`,
      `  cache replay: ${(CALLS / replaySecs).toFixed(0)} calls/s (target ≥ 10,000)`,
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
