import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Submission } from './submission';

describe('Submission', () => {
  it('is busy while the work runs, and answers its result', async () => {
    const s = new Submission();
    let seenBusy = false;
    const result = await s.run(async () => {
      seenBusy = s.busy();
      return 42;
    });
    expect(seenBusy).toBe(true);
    expect(result).toBe(42);
    expect(s.busy()).toBe(false);
    expect(s.error()).toBeNull();
  });

  it("keeps the API error's translation key, and clears it on the next run", async () => {
    const s = new Submission();
    const failure = new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions: { code: 'EMAIL_TAKEN' } }] });
    expect(await s.run(() => Promise.reject(failure))).toBeUndefined();
    expect(s.error()).toBe('errors.EMAIL_TAKEN');
    expect(s.busy()).toBe(false);
    await s.run(async () => undefined);
    expect(s.error()).toBeNull();
  });

  it('reads an unknown failure as an internal error', async () => {
    const s = new Submission();
    await s.run(() => Promise.reject(new Error('network')));
    expect(s.error()).toBe('errors.INTERNAL_SERVER_ERROR');
  });

  it('hands the failure to onError while still busy, and never calls it on success', async () => {
    const s = new Submission();
    const seen: { error: unknown; busy: boolean }[] = [];
    const onError = (error: unknown): void => {
      seen.push({ error, busy: s.busy() });
    };
    await s.run(async () => 'ok', onError);
    expect(seen).toEqual([]);
    const failure = new Error('boom');
    await s.run(() => Promise.reject(failure), onError);
    expect(seen).toEqual([{ error: failure, busy: true }]);
    expect(s.busy()).toBe(false);
  });
});
