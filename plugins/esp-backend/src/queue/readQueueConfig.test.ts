import { ConfigReader } from '@backstage/config';
import { readQueueConfig } from './readQueueConfig';

describe('readQueueConfig', () => {
  it('polls every second unless configured', () => {
    expect(readQueueConfig(new ConfigReader({}))).toEqual({
      pollIntervalMs: 1000,
    });
    expect(
      readQueueConfig(
        new ConfigReader({
          esp: { queue: { pollInterval: { seconds: 2, milliseconds: 500 } } },
        }),
      ),
    ).toEqual({ pollIntervalMs: 2500 });
  });

  it('refuses an interval of zero', () => {
    expect(() =>
      readQueueConfig(
        new ConfigReader({ esp: { queue: { pollInterval: { seconds: 0 } } } }),
      ),
    ).toThrow(/longer than zero/);
  });
});
