/**
 * The local OpenAI-compatible server in its own process, so that its CPU time
 * does not count against the harness being measured (a real provider is remote).
 * Prints its base URL on the first stdout line; exits when stdin closes.
 */
import { startOpenAiServer } from '../test/support/llm-servers/index.js';

const latencyMs = Number(process.argv[2] ?? 100);
const server = await startOpenAiServer({ latencyMs, record: false, promptCache: false });
process.stdout.write(`${server.baseURL}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
