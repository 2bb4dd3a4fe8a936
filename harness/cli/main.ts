// The entry point: everything but the exit code lives in dispatch.ts, so tests can call it in process.
import { main } from './dispatch.js';

process.exitCode = await main(process.argv.slice(2));
