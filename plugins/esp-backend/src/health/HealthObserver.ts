import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AttemptObserver, AttemptReport } from '../dispatch/DispatchHooks';
import { GroupWriter } from './GroupWriter';
import type { UsageCounters } from './UsageCounters';

/**
 * The dispatcher's AttemptObserver: every request's outcome feeds the usage
 * counters (sends the provider accepted). Reports are written in groups
 * (GroupWriter), so a busy dispatcher does not make one write per send.
 *
 * Never throws: the dispatcher calls it between a provider's answer and
 * storing the message's status, and a broken counter must not turn a sent
 * message into an unknown one.
 */
export class HealthObserver implements AttemptObserver {
  private readonly writer: GroupWriter<AttemptReport>;

  constructor(
    private readonly options: {
      usage: UsageCounters;
      logger: LoggerService;
    },
  ) {
    this.writer = new GroupWriter(reports => this.write(reports));
  }

  async attemptFinished(report: AttemptReport): Promise<void> {
    try {
      await this.writer.add(report);
    } catch (error) {
      this.options.logger.warn(
        `Could not record the outcome of a send to ${report.provider}: ${String(
          error,
        )}`,
      );
    }
  }

  private async write(reports: AttemptReport[]): Promise<void> {
    await this.options.usage.recordSends(
      reports
        .filter(report => report.outcome === 'sent')
        .map(report => ({ provider: report.provider, at: report.at })),
    );
  }
}
