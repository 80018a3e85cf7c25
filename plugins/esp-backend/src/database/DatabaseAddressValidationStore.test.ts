import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { AddressValidationRow } from '@internal/plugin-esp-common';
import { DatabaseAddressValidationStore } from './DatabaseAddressValidationStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const at = (seconds: number) =>
  new Date(Date.UTC(2026, 10, 28, 12, 0, seconds));

const row = (
  line: number,
  verdict: AddressValidationRow['verdict'],
): AddressValidationRow => ({
  line,
  address: `u${line}@example.com`,
  verdict,
  result: verdict === 'invalid' ? 'undeliverable' : 'deliverable',
  risk: verdict === 'risky' ? 'high' : 'low',
});

describe('DatabaseAddressValidationStore', () => {
  const databases = withMigratedSchema(
    TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
  );

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseAddressValidationStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  const addresses = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      line: i + 2,
      address: `u${i + 2}@example.com`,
    }));

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('keeps a list, hands out its unchecked addresses in order and counts verdicts once', async () => {
      const { store } = await createStore(databaseId);
      // More addresses than one insert statement carries.
      await store.create(
        { id: 'v1', providerId: 'mailgun', startedAt: at(0), duplicates: 7 },
        addresses(1200),
      );
      expect(await store.get('v1')).toEqual({
        id: 'v1',
        providerId: 'mailgun',
        status: 'running',
        total: 1200,
        processed: 0,
        counts: { valid: 0, invalid: 0, risky: 0 },
        duplicates: 7,
        error: null,
        startedAt: at(0),
        finishedAt: null,
      });
      expect(await store.uncheckedAddresses('v1', 3)).toEqual([
        { line: 2, address: 'u2@example.com' },
        { line: 3, address: 'u3@example.com' },
        { line: 4, address: 'u4@example.com' },
      ]);

      await store.recordResults('v1', [
        row(3, 'invalid'),
        row(2, 'valid'),
        row(4, 'risky'),
      ]);
      // A second report of a checked row (a run that lost its lease) changes nothing.
      await store.recordResults('v1', [row(2, 'invalid')]);

      expect(await store.get('v1')).toMatchObject({
        processed: 3,
        counts: { valid: 1, invalid: 1, risky: 1 },
      });
      expect(await store.checkedRows('v1')).toEqual([
        row(2, 'valid'),
        row(3, 'invalid'),
        row(4, 'risky'),
      ]);
      expect(
        (await store.uncheckedAddresses('v1', 2)).map(a => a.line),
      ).toEqual([5, 6]);
    });

    it('stores an address longer than any real one (a typo in an upload)', async () => {
      const { store } = await createStore(databaseId);
      const long = `${'x'.repeat(1000)}@example.com`;
      await store.create(
        { id: 'v1', providerId: 'mailgun', startedAt: at(0) },
        [{ line: 1, address: long }],
      );
      expect(await store.uncheckedAddresses('v1', 1)).toEqual([
        { line: 1, address: long },
      ]);
    });

    it('hands out the unchecked ones of given lines, and enqueues with the list in one transaction', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.create(
        { id: 'v1', providerId: 'mailgun', startedAt: at(0) },
        addresses(6),
        async tx => {
          await tx('esp_jobs').insert({
            queue: 'q',
            type: 't',
            payload: '{}',
            status: 'queued',
            max_attempts: 1,
            run_at: at(0),
            created_at: at(0),
          });
        },
      );
      await store.recordResults('v1', [row(3, 'valid')]);
      expect(await store.uncheckedAt('v1', [2, 3, 4, 99])).toEqual([
        { line: 2, address: 'u2@example.com' },
        { line: 4, address: 'u4@example.com' },
      ]);
      expect(await store.uncheckedAt('v1', [])).toEqual([]);
      expect(await knex('esp_jobs').where({ queue: 'q' })).toHaveLength(1);

      // A failure in the same transaction leaves neither list nor job behind.
      await expect(
        store.create(
          { id: 'v2', providerId: 'mailgun', startedAt: at(0) },
          addresses(2),
          async () => {
            throw new Error('enqueue failed');
          },
        ),
      ).rejects.toThrow('enqueue failed');
      expect(await store.get('v2')).toBeUndefined();
      expect(
        await knex('esp_address_validation_rows').where({
          validation_id: 'v2',
        }),
      ).toEqual([]);
    });

    it('finishes once and deletes old finished lists with their rows', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.create(
        { id: 'old', providerId: 'mailgun', startedAt: at(0) },
        addresses(3),
      );
      await store.create(
        { id: 'running', providerId: 'mailgun', startedAt: at(0) },
        addresses(2),
      );
      await store.finish('old', {
        status: 'failed',
        error: 'Key revoked',
        at: at(10),
      });
      // A late second finish (e.g. "done") does not overwrite the first.
      expect(
        await store.finish('old', { status: 'done', error: null, at: at(20) }),
      ).toBe(false);
      expect(await store.get('old')).toMatchObject({
        status: 'failed',
        error: 'Key revoked',
        finishedAt: at(10),
      });

      expect(await store.deleteFinishedBefore(at(5))).toBe(0);
      expect(await store.deleteFinishedBefore(at(11))).toBe(1);
      expect(await store.get('old')).toBeUndefined();
      expect(
        await knex('esp_address_validation_rows').where({
          validation_id: 'old',
        }),
      ).toEqual([]);
      expect(await store.get('running')).toBeDefined();
      expect(await store.uncheckedAddresses('running', 10)).toHaveLength(2);
    });
  });
});
