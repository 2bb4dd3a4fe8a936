// The entry point: everything but the exit code lives in dispatch.ts, so tests can call it in process.
import { main } from './dispatch.js';
import { redactOutput } from './redacted-output.js';

// Whatever reaches the terminal passes the secrets redactor, including an SDK error a bug lets through.
redactOutput(process.stdout);
redactOutput(process.stderr);
process.exitCode = await main(process.argv.slice(2));
