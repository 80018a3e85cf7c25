import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { WEBHOOK_EVENTS_SIGNAL_CHANNEL } from '@internal/plugin-esp-common';
import { EventSignals } from './EventSignals';

describe('EventSignals', () => {
  it('coalesces a burst into one signal per provider with the count', async () => {
    const signals = { publish: jest.fn(async () => {}) };
    const eventSignals = new EventSignals({
      signals,
      config: new ConfigReader({ esp: { admins: ['user:default/ada'] } }),
      logger: mockServices.logger.mock(),
      coalesceMs: 20,
    });
    for (let i = 0; i < 50; i++) eventSignals.received('mailgun');
    eventSignals.received('postmark');
    expect(signals.publish).not.toHaveBeenCalled();
    await new Promise(r => setTimeout(r, 60));
    expect(signals.publish).toHaveBeenCalledTimes(2);
    expect(signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'user', entityRef: ['user:default/ada'] },
      channel: WEBHOOK_EVENTS_SIGNAL_CHANNEL,
      message: { provider: 'mailgun', count: 50 },
    });
    expect(signals.publish).toHaveBeenCalledWith(
      expect.objectContaining({ message: { provider: 'postmark', count: 1 } }),
    );
    // The next burst is a new signal.
    eventSignals.received('mailgun');
    await eventSignals.stop();
    expect(signals.publish).toHaveBeenCalledTimes(3);
  });

  it('signals nobody without admins', async () => {
    const signals = { publish: jest.fn(async () => {}) };
    const eventSignals = new EventSignals({
      signals,
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
    });
    eventSignals.received('mailgun');
    await eventSignals.stop();
    expect(signals.publish).not.toHaveBeenCalled();
  });
});
