import { relativeTime } from './relativeTime';

describe('relativeTime', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('says never for a missing time', () => {
    expect(relativeTime(null, now)).toBe('never');
  });

  it('rounds to the largest fitting unit', () => {
    expect(relativeTime('2026-11-25T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2026-11-25T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-11-25T10:00:00Z', now)).toBe('2 hours ago');
    expect(relativeTime('2026-11-23T12:00:00Z', now)).toBe('2 days ago');
  });
});
