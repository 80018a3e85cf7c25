import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AttemptObserver, AttemptReport } from '../dispatch/DispatchHooks';
import { isTransientFailure } from './breakerState';
import type { CircuitBreakers } from './CircuitBreakers';
import { GroupWriter } from './GroupWriter';
import type { UsageCounters } from './UsageCounters';

/**
 * The dispatcher's AttemptObserver: every request's outcome feeds the usage
 * counters (sends the provider accepted) and the provider's circuit breaker. Reports are written in groups
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
      breakers: CircuitBreakers;
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
    const byProvider = new Map<string, AttemptReport[]>();
    for (const report of reports) {
      const list = byProvider.get(report.provider) ?? [];
      list.push(report);
      byProvider.set(report.provider, list);
    }
    await Promise.all([
      this.options.usage.recordSends(
        reports
          .map(report => ({
            provider: report.provider,
            at: report.at,
            // A batch request reports how many of its messages were accepted.
            count: report.accepted ?? (report.outcome === 'sent' ? 1 : 0),
          }))
          .filter(send => send.count > 0),
      ),
      ...[...byProvider].map(([provider, list]) =>
        this.options.breakers.record(
          provider,
          list.map(report => ({
            failed:
              report.outcome !== 'sent' &&
              isTransientFailure(report.errorClass),
            ...(report.errorClass ? { errorClass: report.errorClass } : {}),
          })),
        ),
      ),
    ]);
  }
}
