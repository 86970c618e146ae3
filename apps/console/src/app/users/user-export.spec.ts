import { exportErrorKey } from './user-export';

describe('exportErrorKey', () => {
  it('translates the API error code of a refused export', () => {
    expect(exportErrorKey(JSON.stringify({ code: 'FORBIDDEN', message: 'no' }))).toBe('errors.FORBIDDEN');
    expect(exportErrorKey(JSON.stringify({ code: 'RATE_LIMITED', message: 'slow down' }))).toBe('errors.RATE_LIMITED');
  });

  it('falls back to the generic message for unknown codes and non-JSON bodies', () => {
    expect(exportErrorKey(JSON.stringify({ code: 'SOMETHING_NEW' }))).toBe('users.exportFailed');
    expect(exportErrorKey('<html><body>Bad gateway</body></html>')).toBe('users.exportFailed');
    expect(exportErrorKey('')).toBe('users.exportFailed');
  });
});
