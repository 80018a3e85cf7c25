import { analyticsQuerySchema } from './analytics';

describe('analyticsQuerySchema', () => {
  it('takes a preset, a custom range, or nothing', () => {
    expect(analyticsQuerySchema.parse({ range: '90d' })).toEqual({
      range: '90d',
    });
    expect(
      analyticsQuerySchema.parse({ from: '2028-02-28', to: '2028-02-29' }),
    ).toEqual({ from: '2028-02-28', to: '2028-02-29' });
    expect(analyticsQuerySchema.parse({})).toEqual({});
  });

  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-04-31'])(
    'refuses %s, a day no calendar has',
    day => {
      const result = analyticsQuerySchema.safeParse({ from: day, to: day });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({
        path: ['from'],
        message: 'Enter a real calendar date',
      });
    },
  );
});
