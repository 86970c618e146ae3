import { exportErrorKey } from './user-export';

describe('exportErrorKey', () => {
  const json = (body: unknown) => ({ json: () => Promise.resolve(body) });

  it('translates the API error code of a refused export', async () => {
    expect(await exportErrorKey(json({ code: 'FORBIDDEN', message: 'no' }))).toBe('errors.FORBIDDEN');
    expect(await exportErrorKey(json({ code: 'RATE_LIMITED', message: 'slow down' }))).toBe('errors.RATE_LIMITED');
  });

  it('falls back to the generic message for unknown codes and non-JSON bodies', async () => {
    expect(await exportErrorKey(json({ code: 'SOMETHING_NEW' }))).toBe('users.exportFailed');
    expect(await exportErrorKey({ json: () => Promise.reject(new SyntaxError('Unexpected token <')) })).toBe('users.exportFailed');
  });
});
