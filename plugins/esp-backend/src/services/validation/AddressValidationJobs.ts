import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AddressValidationJob,
  AddressValidationRow,
  AddressVerdict,
  emailAddressSchema,
} from '@internal/plugin-esp-common';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import type { AddressCheck } from '../../providers/types';
import type {
  LiveConnection,
  ProviderConnections,
} from '../ProviderConnections';
import { CsvAddress, parseAddressCsv } from './parseAddressCsv';

/** valid / invalid / risky, from the provider's result and risk. */
export function verdictOf(
  check: Pick<AddressCheck, 'result' | 'risk'>,
): AddressVerdict {
  if (check.result === 'undeliverable' || check.result === 'do_not_send')
    return 'invalid';
  if (check.result === 'deliverable' && check.risk !== 'high') return 'valid';
  return 'risky';
}

/**
 * Runs list validations in the background and keeps their progress so the page
 * can show a progress bar. Jobs live in this backend instance's memory for an
 * hour: a validation is an interactive, one-off check, not a record.
 */
export class AddressValidationJobs {
  private readonly jobs = new Map<string, AddressValidationJob>();
  private readonly concurrency: number;
  private readonly keepMs: number;

  constructor(
    private readonly connections: ProviderConnections,
    private readonly logger: LoggerService,
    options?: { concurrency?: number; keepMs?: number },
  ) {
    this.concurrency = options?.concurrency ?? 5;
    this.keepMs = options?.keepMs ?? 60 * 60 * 1000;
  }

  async start(providerId: string, csv: string): Promise<AddressValidationJob> {
    const addresses = parseAddressCsv(csv);
    const live = await this.connections.requireConnection(providerId);
    if (!live.adapter.validateAddress) {
      throw new ConflictError(
        `${live.adapter.displayName} cannot validate addresses`,
      );
    }
    this.prune();
    const job: AddressValidationJob = {
      id: randomUUID(),
      providerId: live.id,
      status: 'running',
      total: addresses.length,
      processed: 0,
      counts: { valid: 0, invalid: 0, risky: 0 },
      rows: [],
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    this.run(job, live, addresses).catch(error =>
      this.logger.error(`Address validation ${job.id} crashed: ${error}`),
    );
    return { ...job, rows: [] };
  }

  get(providerId: string, jobId: string): AddressValidationJob {
    const job = this.jobs.get(jobId);
    if (!job || job.providerId !== providerId) {
      throw new NotFoundError(`No address validation ${jobId}`);
    }
    return { ...job, rows: [...job.rows].sort((a, b) => a.line - b.line) };
  }

  /** The results as a CSV file, in the order of the upload. */
  csv(providerId: string, jobId: string): string {
    const job = this.get(providerId, jobId);
    return stringify(
      job.rows.map(r => [r.line, r.address, r.verdict, r.result, r.risk]),
      {
        header: true,
        columns: ['line', 'address', 'verdict', 'result', 'risk'],
      },
    );
  }

  private async run(
    job: AddressValidationJob,
    live: LiveConnection,
    addresses: CsvAddress[],
  ) {
    let next = 0;
    const worker = async () => {
      while (next < addresses.length && job.status === 'running') {
        const item = addresses[next++];
        const row = await this.check(live, item);
        if (job.status !== 'running') return;
        job.rows.push(row);
        job.counts[row.verdict] += 1;
        job.processed += 1;
      }
    };
    try {
      await Promise.all(Array.from({ length: this.concurrency }, worker));
      job.status = 'done';
    } catch (error) {
      // A bad key or an outage fails every address alike: stop rather than bill on.
      job.status = 'failed';
      job.error = this.connections.failureMessage(
        error,
        live.adapter,
        live.secrets,
      );
    }
    job.finishedAt = new Date().toISOString();
  }

  private async check(
    live: LiveConnection,
    item: CsvAddress,
  ): Promise<AddressValidationRow> {
    // Obvious typos cost nothing to catch and are not sent to the paid service.
    if (!emailAddressSchema.safeParse(item.address).success) {
      return {
        ...item,
        verdict: 'invalid',
        result: 'not an email address',
        risk: 'unknown',
      };
    }
    const check = await live.adapter.validateAddress!(live.conn, item.address);
    return {
      ...item,
      verdict: verdictOf(check),
      result: check.result,
      risk: check.risk,
    };
  }

  private prune() {
    const now = Date.now();
    for (const [id, job] of this.jobs) {
      if (job.finishedAt && now - Date.parse(job.finishedAt) > this.keepMs) {
        this.jobs.delete(id);
      }
    }
  }
}
