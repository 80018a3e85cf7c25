import {
  analyticsViewOf,
  specView,
} from '../../__testUtils__/analyticsFixtures';
import {
  analyticsFilename,
  comparisonCsv,
  dailySeriesCsv,
} from './analyticsCsv';

describe('analytics CSV', () => {
  it('writes one comparison row per provider and one series row per provider and day', () => {
    const view = specView();
    const table = comparisonCsv(view).trim().split('\r\n');
    expect(table).toHaveLength(1 + view.providers.length);
    expect(table[1]).toBe(
      'Postmark,5234,5192,42,0.80,2352,45.30,634,12.21,99.20',
    );
    const series = dailySeriesCsv(view).trim().split('\r\n');
    expect(series).toHaveLength(1 + 30 * 3);
    // A day without mail has zeros and no rates.
    expect(series[1]).toBe('2026-11-03,Postmark,0,0,0,0,0,,,,');
    expect(analyticsFilename(view, 'pdf')).toBe(
      'esp-analytics-2026-11-03-2026-12-02.pdf',
    );
  });

  it('writes an empty range as a header alone', () => {
    const view = analyticsViewOf([], { from: '2026-12-01', to: '2026-12-02' });
    expect(comparisonCsv(view).trim().split('\r\n')).toHaveLength(1);
  });
});
