/** A line for the operator on standard output, prefixed `[roster]`: start-up, shutdown, advice. */
export const say = (msg: string): void => {
  process.stdout.write(`[roster] ${msg}\n`);
};
