import { exportErrorKey } from './download';

describe('exportErrorKey', () => {
  it('translates the API error code of a refused export', () => {
    expect(exportErrorKey(JSON.stringify({ code: 'FORBIDDEN', message: 'no' }), 'users.exportFailed')).toBe('errors.FORBIDDEN');
    expect(exportErrorKey(JSON.stringify({ code: 'RATE_LIMITED', message: 'slow down' }), 'audit.exportFailed')).toBe(
      'errors.RATE_LIMITED',
    );
  });

  it('falls back to the given message for unknown codes and non-JSON bodies', () => {
    expect(exportErrorKey(JSON.stringify({ code: 'SOMETHING_NEW' }), 'users.exportFailed')).toBe('users.exportFailed');
    expect(exportErrorKey('<html><body>Bad gateway</body></html>', 'audit.exportFailed')).toBe('audit.exportFailed');
    expect(exportErrorKey('', 'users.exportFailed')).toBe('users.exportFailed');
  });
});
