/**
 * What Ctrl-C (or SIGTERM) does during a run: the first stops it cleanly,
 * saying truthfully what happens to the units in flight; the second quits at
 * once. The effects are passed in so the two-step behaviour can be tested
 * without sending signals, which the kernel merges when they arrive together.
 */
export function interruptHandler(o: {
  readonly stop: () => void;
  readonly resume: string;
  readonly write: (text: string) => void;
  readonly exit: () => void;
}): () => void {
  let interrupts = 0;
  return () => {
    interrupts++;
    if (interrupts === 1) {
      o.write(
        '\nStopping: no new unit starts; units in flight that still wait on the LLM are cancelled and run again when you resume (their finished calls are cached). Ctrl-C again to quit at once.\n',
      );
      o.stop();
    } else {
      o.write(`\nQuit. Resume with:\n  ${o.resume}\n`);
      o.exit();
    }
  };
}
