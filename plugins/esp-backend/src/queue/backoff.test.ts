import { exponentialBackoff } from './backoff';

describe('exponentialBackoff', () => {
  it('doubles from the first delay up to the cap', () => {
    const delay = exponentialBackoff({
      initialMs: 1000,
      maxMs: 10_000,
      jitter: 0,
    });
    expect([1, 2, 3, 4, 5, 6].map(delay)).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('takes off at most the jitter share, so delays still grow and never pass the cap', () => {
    let draw = 0;
    const draws = [0.999, 0, 0.999, 0];
    const delay = exponentialBackoff({
      initialMs: 1000,
      jitter: 0.2,
      random: () => draws[draw++ % draws.length],
    });
    const delays = [1, 2, 3, 4].map(delay);
    expect(delays).toEqual([800, 2000, 3201, 8000]);
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    }
  });

  it('spreads jobs that failed together', () => {
    const delay = exponentialBackoff({ initialMs: 10_000 });
    const spread = new Set(Array.from({ length: 50 }, () => delay(1)));
    expect(spread.size).toBeGreaterThan(10);
    for (const ms of spread) {
      expect(ms).toBeGreaterThanOrEqual(8000);
      expect(ms).toBeLessThanOrEqual(10_000);
    }
  });
});
