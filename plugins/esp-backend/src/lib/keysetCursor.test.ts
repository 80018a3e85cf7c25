import { InputError } from '@backstage/errors';
import { decodeKeysetCursor, encodeKeysetCursor } from './keysetCursor';

describe('keyset cursors', () => {
  it('give back the position they were made from', () => {
    const position = { at: new Date('2026-12-02T10:11:12.345Z'), id: 'a-1' };
    const cursor = encodeKeysetCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor, 'bad')).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a JSON object', Buffer.from('{"at":1}').toString('base64url')],
    [
      'a time that is not a number',
      Buffer.from('["x","a"]').toString('base64url'),
    ],
    ['a missing id', Buffer.from('[1]').toString('base64url')],
  ])('refuse %s with the caller’s sentence', (_what, cursor) => {
    expect(() => decodeKeysetCursor(cursor, 'Start again.')).toThrow(
      new InputError('Start again.'),
    );
  });
});
