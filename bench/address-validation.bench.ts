/*
 * What keeping list validations in the database costs per address: the
 * bookkeeping of one run (read the next unchecked batch, renew the job's
 * lease, record the verdicts) over a real SQLite file, against the same loop over
 * plain arrays (the in-memory bookkeeping it replaced), in one process.
 * The provider's own answer (tens of milliseconds per address) is left out.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/address-validation.bench.ts
 */
import type { AddressValidationRow } from '@internal/plugin-esp-common';
import type { ListedAddress } from '../plugins/esp-backend/src/database/AddressValidationStore';
import { DatabaseAddressValidationStore } from '../plugins/esp-backend/src/database/DatabaseAddressValidationStore';
import { DatabaseJobQueue } from '../plugins/esp-backend/src/queue/DatabaseJobQueue';
import { withSqliteFile } from './sqliteFile';

const ADDRESSES = Number(process.env.BENCH_ADDRESSES ?? 10_000);
// The run checks this many addresses at once (AddressValidationJobs' default).
const BATCH = 5;

type Bookkeeping = {
  unchecked(limit: number): Promise<ListedAddress[]>;
  renew(): Promise<boolean>;
  record(rows: AddressValidationRow[]): Promise<void>;
};

const verdictRow = (a: ListedAddress): AddressValidationRow => ({
  ...a,
  verdict: a.line % 10 === 0 ? 'invalid' : 'valid',
  result: a.line % 10 === 0 ? 'undeliverable' : 'deliverable',
  risk: 'low',
});

async function runList(label: string, book: Bookkeeping) {
  const start = process.hrtime.bigint();
  let done = 0;
  for (;;) {
    const batch = await book.unchecked(BATCH);
    if (batch.length === 0) break;
    await book.renew();
    await book.record(batch.map(verdictRow));
    done += batch.length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  const perAddressUs = ns / done / 1000;
  console.log(
    `${label}: ${perAddressUs.toFixed(1)} µs per address, ${Math.round(
      1e9 / (ns / done),
    )} addresses/s (${done} addresses)`,
  );
  return perAddressUs;
}

function memoryBookkeeping(addresses: ListedAddress[]): Bookkeeping {
  let next = 0;
  const rows: AddressValidationRow[] = [];
  const counts = { valid: 0, invalid: 0, risky: 0 };
  return {
    async unchecked(limit) {
      const batch = addresses.slice(next, next + limit);
      next += batch.length;
      return batch;
    },
    async renew() {
      return true;
    },
    async record(checked) {
      for (const row of checked) {
        rows.push(row);
        counts[row.verdict] += 1;
      }
    },
  };
}

async function main() {
  const addresses = Array.from({ length: ADDRESSES }, (_, i) => ({
    line: i + 2,
    address: `user${i}@example.com`,
  }));
  await withSqliteFile(async database => {
    const store = await DatabaseAddressValidationStore.create({ database });
    const queue = await DatabaseJobQueue.create({ database });

    console.log(
      `list validation bookkeeping, ${ADDRESSES} addresses, batches of ${BATCH}`,
    );
    const createStart = process.hrtime.bigint();
    await store.create(
      { id: 'bench', providerId: 'mailgun', startedAt: new Date() },
      addresses,
    );
    await queue.enqueue({ queue: 'bench', type: 'bench', payload: {} });
    const job = (await queue.claim('bench', {
      token: 'bench',
      leaseMs: 120_000,
    }))!;
    console.log(
      `storing the uploaded list: ${(
        Number(process.hrtime.bigint() - createStart) / 1e6
      ).toFixed(0)} ms`,
    );

    const baseline = await runList(
      'in memory (baseline)',
      memoryBookkeeping(addresses),
    );
    const stored = await runList('SQLite file', {
      unchecked: limit => store.uncheckedAddresses('bench', limit),
      renew: () => queue.heartbeat(job, 120_000),
      record: rows => store.recordResults('bench', rows),
    });
    const validation = await store.get('bench');
    if (validation?.processed !== ADDRESSES) {
      throw new Error(
        `Expected ${ADDRESSES} recorded, found ${validation?.processed}`,
      );
    }
    console.log(`ratio SQLite/in memory: ${(stored / baseline).toFixed(0)}x`);
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
