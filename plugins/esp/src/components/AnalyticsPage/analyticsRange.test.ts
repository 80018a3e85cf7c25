import {
  customRangeError,
  rangeFromSearch,
  searchWithRange,
} from './analyticsRange';

const params = (s: string) => new URLSearchParams(s);

describe('analytics range in the URL', () => {
  it('reads a preset or a custom range, and falls back to 30 days for anything else', () => {
    expect(rangeFromSearch(params(''))).toEqual({ range: '30d' });
    expect(rangeFromSearch(params('range=7d'))).toEqual({ range: '7d' });
    expect(rangeFromSearch(params('from=2026-11-01&to=2026-11-30'))).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
    });
    for (const bad of [
      'range=1y',
      'from=2026-11-01',
      'from=2026-12-01&to=2026-11-01',
      'range=7d&from=2026-11-01&to=2026-11-02',
    ]) {
      expect(rangeFromSearch(params(bad))).toEqual({ range: '30d' });
    }
  });

  it('writes one kind of range, keeping other parameters', () => {
    expect(
      searchWithRange(params('range=7d&tab=x'), {
        from: '2026-11-01',
        to: '2026-11-02',
      }).toString(),
    ).toBe('tab=x&from=2026-11-01&to=2026-11-02');
    expect(
      searchWithRange(params('from=2026-11-01&to=2026-11-02'), {
        range: '90d',
      }).toString(),
    ).toBe('range=90d');
  });

  it('explains what is wrong with a custom range', () => {
    expect(customRangeError('', '2026-11-01')).toBe(
      'Enter both a start and an end date.',
    );
    expect(customRangeError('2026-11-02', '2026-11-01')).toBe(
      'The range ends before it starts.',
    );
    expect(customRangeError('2025-11-01', '2026-11-02')).toBe(
      'A range can span at most 366 days.',
    );
    expect(customRangeError('2025-11-02', '2026-11-02')).toBeUndefined();
    expect(customRangeError('2026-11-01', '2026-11-01')).toBeUndefined();
  });
});
