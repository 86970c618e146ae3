import { CURSOR_MAX_LENGTH, decodeInstantCursor, encodeInstantCursor, isRealMicroInstant } from './instant-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown) => typeof v === 'string' && UUID.test(v);
const ID = '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b';
const raw = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('instant cursors', () => {
  it('round-trips an instant to the microsecond and an id, opaque', () => {
    const cursor = encodeInstantCursor('2026-12-06T14:48:31.123456Z', ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeInstantCursor(cursor, isUuid)).toEqual({ at: '2026-12-06T14:48:31.123456Z', id: ID });
  });

  it('reads only instants that exist, written to the microsecond', () => {
    expect(isRealMicroInstant('2024-02-29T23:59:59.999999Z')).toBe(true);
    for (const at of [
      '2026-02-30T00:00:00.000000Z',
      '2025-02-29T00:00:00.000000Z',
      '0000-01-01T00:00:00.000000Z',
      '2026-12-06T24:00:00.000000Z',
      '2026-12-06T14:48:31.123Z',
      '2026-12-06 14:48:31.123456Z',
      '2026-12-06T14:48:31.123456+01:00',
      1765032511,
      null,
    ])
      expect({ at, ok: isRealMicroInstant(at) }).toEqual({ at, ok: false });
  });

  it('answers null for anything else: shapes, ids the caller refuses, length, not base64url of JSON', () => {
    const at = '2026-12-06T14:48:31.123456Z';
    for (const cursor of [
      '',
      'garbage',
      '%%%',
      raw([at]),
      raw([at, ID, 'x']),
      raw({ at, id: ID }),
      raw([at, 'not-a-uuid']),
      raw([at, 1]),
      raw(['2026-02-30T00:00:00.000000Z', ID]),
      `${raw([at, ID])}${'A'.repeat(CURSOR_MAX_LENGTH)}`,
    ])
      expect({ cursor, decoded: decodeInstantCursor(cursor, isUuid) }).toEqual({ cursor, decoded: null });
  });
});
