import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@internal/plugin-esp-backend',
  'migrations',
);

const MESSAGES_MIGRATION = '20261202040000_messages.js';

/** Rolls back, newest first, every migration after `name`, so a test steps down from there. */
async function rollBackAfter(knex: Knex, name: string) {
  for (;;) {
    const [completed] = await knex.migrate.list({ directory: migrationsDir });
    const last = completed[completed.length - 1] as { name: string } | string;
    const lastName = typeof last === 'string' ? last : last?.name;
    if (!lastName || lastName <= name) return;
    await knex.migrate.down({ directory: migrationsDir });
  }
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    '%p: init goes up and down cleanly',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261125120000_init.js',
      });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);

      const now = new Date();
      await knex('esp_provider_config').insert({
        provider_id: 'postmark',
        settings: '{}',
        secrets: '{}',
        created_at: now,
        updated_at: now,
      });
      const row = await knex('esp_provider_config')
        .where({ provider_id: 'postmark' })
        .first();
      // `enabled` defaults to true; the test columns start empty.
      expect(Boolean(row.enabled)).toBe(true);
      expect(row.last_test_ok).toBeNull();
      // The primary key refuses a second row for the same provider.
      const duplicateError = await knex('esp_provider_config')
        .insert({
          provider_id: 'postmark',
          settings: '{}',
          secrets: '{}',
          created_at: now,
          updated_at: now,
        })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(duplicateError?.message).toMatch(/unique|duplicate/i);
      expect(await knex('esp_provider_config')).toHaveLength(1);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(false);

      // And up again after a rollback, as a redeploy of a rolled-back release would.
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(true);

      expect(await knex.schema.hasTable('esp_jobs')).toBe(true);
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'duplicates'),
      ).toBe(true);
      expect(await knex.schema.hasTable('esp_routing_versions')).toBe(true);

      expect(await knex.schema.hasTable('esp_messages')).toBe(true);
      expect(await knex.schema.hasTable('esp_message_recipients')).toBe(true);
      expect(await knex.schema.hasTable('esp_provider_usage')).toBe(true);
      expect(await knex.schema.hasTable('esp_provider_breakers')).toBe(true);

      expect(await knex.schema.hasTable('esp_webhook_settings')).toBe(true);

      // Later migrations (webhooks) have their own tests; step down to here.
      await rollBackAfter(knex, '20261202060100_provider_breakers.js');
      // Each migration rolls back on its own, leaving the earlier ones in place.
      for (const table of [
        'esp_webhook_events',
        'esp_webhook_tokens',
        'esp_webhook_rejections',
        'esp_webhook_rejection_alerts',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      expect(await knex.schema.hasTable('esp_webhook_settings')).toBe(false);
      expect(await knex.schema.hasTable('esp_provider_breakers')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_breakers')).toBe(false);
      expect(await knex.schema.hasTable('esp_provider_usage')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_usage')).toBe(false);
      expect(await knex.schema.hasTable('esp_message_recipients')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_message_recipients')).toBe(false);
      expect(await knex.schema.hasColumn('esp_messages', 'subject')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('esp_messages')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      for (const table of [
        'esp_messages',
        'esp_message_attempts',
        'esp_idempotency_keys',
        'esp_suppressions',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      expect(await knex.schema.hasTable('esp_routing_versions')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_routing_versions')).toBe(false);
      expect(await knex.schema.hasTable('esp_jobs')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_jobs')).toBe(false);
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'duplicates'),
      ).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'duplicates'),
      ).toBe(false);
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(false);
      expect(await knex.schema.hasTable('esp_address_validation_rows')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: the job queue takes over running lists, and rolls back to the lease columns',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261125120000_init.js',
      });
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261128010000_address_validations.js',
      });
      const validation = (id: string, status: string) => ({
        id,
        provider_id: 'mailgun',
        status,
        total: 7,
        started_at: new Date(),
      });
      await knex('esp_address_validations').insert([
        validation('running', 'running'),
        validation('done', 'done'),
      ]);
      for (const id of ['running', 'done']) {
        await knex('esp_address_validation_rows').insert(
          Array.from({ length: 7 }, (_, i) => ({
            validation_id: id,
            line: i + 2,
            address: `u${i}@example.com`,
            verdict: i < 2 || id === 'done' ? 'valid' : null,
          })),
        );
      }

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261201230000_address_validation_duplicates.js',
      });
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261202000000_job_queue.js',
      });
      const jobs = await knex('esp_jobs').orderBy('id');
      // The five unchecked addresses of the running list, one batch; none
      // for the finished list.
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({
        queue: 'address-validation',
        type: 'address-validation.batch',
        status: 'queued',
      });
      expect(JSON.parse(jobs[0].payload)).toEqual({
        validationId: 'running',
        lines: [4, 5, 6, 7, 8],
      });
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'lease_owner'),
      ).toBe(false);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_jobs')).toBe(false);
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'lease_owner'),
      ).toBe(true);
      expect(await knex('esp_address_validations')).toHaveLength(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: the routing versions table takes one row per version number',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const row = (summary: string) => ({
        version: 1,
        config: '{}',
        created_by: 'user:default/ada',
        created_at: new Date(),
        summary,
      });
      await knex('esp_routing_versions').insert(row('First'));
      const duplicate = await knex('esp_routing_versions')
        .insert(row('Racer'))
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(duplicate?.message).toMatch(/unique|duplicate/i);
      expect(await knex('esp_routing_versions')).toHaveLength(1);
      // The later ones and the messages migration first, then this one.
      await rollBackAfter(knex, MESSAGES_MIGRATION);
      await knex.migrate.down({ directory: migrationsDir });
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_routing_versions')).toBe(false);
      expect(await knex.schema.hasTable('esp_jobs')).toBe(true);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: the attempts of a message go with it, and an idempotency key is one per caller',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const now = new Date();
      await knex('esp_messages').insert({
        id: 'm-1',
        status: 'queued',
        email_type: 'transactional',
        content: '{}',
        tags: '[]',
        metadata: '{}',
        headers: '{}',
        created_by: 'svc',
        created_at: now,
        updated_at: now,
      });
      await knex('esp_message_attempts').insert({
        message_id: 'm-1',
        provider: 'postmark',
        started_at: now,
        duration_ms: 5,
        outcome: 'sent',
      });
      if (databaseId === 'SQLITE_3') await knex.raw('PRAGMA foreign_keys = ON');
      await knex('esp_messages').where({ id: 'm-1' }).delete();
      expect(await knex('esp_message_attempts')).toHaveLength(0);

      const key = {
        caller: 'svc',
        key: 'k',
        request_hash: 'h',
        answer: '{}',
        created_at: now,
      };
      await knex('esp_idempotency_keys').insert(key);
      const again = await knex('esp_idempotency_keys')
        .insert(key)
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(again?.message).toMatch(/unique|duplicate/i);
      await knex('esp_idempotency_keys').insert({ ...key, caller: 'other' });
      await knex.destroy();
    },
  );
});

describe('the message recipients migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    '%p: gives messages stored before it their recipients and subject',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261202060000_message_recipients.js',
      });
      expect(await knex.schema.hasTable('esp_message_recipients')).toBe(false);
      const now = new Date();
      await knex('esp_messages').insert({
        id: 'old-1',
        status: 'sent',
        email_type: 'transactional',
        content: JSON.stringify({
          to: [' Ada@Example.com'],
          cc: ['bob@example.com'],
          bcc: [],
          subject: 'Before the list',
          text: 'Hi',
          attachments: [],
        }),
        tags: '[]',
        metadata: '{}',
        headers: '{}',
        created_by: 'user:default/ada',
        created_at: now,
        updated_at: now,
      });
      await knex.migrate.latest({ directory: migrationsDir });
      expect(
        await knex('esp_message_recipients')
          .select('kind', 'position', 'address')
          .orderBy('kind', 'desc'),
      ).toEqual([
        { kind: 'to', position: 0, address: 'ada@example.com' },
        { kind: 'cc', position: 0, address: 'bob@example.com' },
      ]);
      expect(
        (await knex('esp_messages').where({ id: 'old-1' }).first()).subject,
      ).toBe('Before the list');
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: the event provenance migration keeps suppressions and goes down cleanly',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await rollBackAfter(knex, '20261202060100_provider_breakers.js');
      await knex('esp_suppressions').insert({
        address: 'ada@example.com',
        reason: 'Asked to stop',
        source: 'manual',
        created_by: 'user:default/admin',
        created_at: new Date(),
      });

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261202121000_event_provenance.js',
      });
      // An entry from before has no provenance: it was added by hand.
      expect(
        await knex('esp_suppressions')
          .where({ address: 'ada@example.com' })
          .first('provider', 'event_id', 'event_at'),
      ).toEqual({ provider: null, event_id: null, event_at: null });

      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261202121000_event_provenance.js',
      });
      expect(await knex.schema.hasColumn('esp_suppressions', 'provider')).toBe(
        false,
      );
      expect(await knex('esp_suppressions').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
    },
  );
});

describe('the analytics migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const ANALYTICS_MIGRATION = '20261203000000_analytics.js';

  it.each(databases.eachSupportedId())(
    '%p: adds the rollup tables and processed_at, keeps events, and goes down cleanly',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await rollBackAfter(knex, '20261202122000_webhook_settings.js');
      const received = new Date('2026-12-02T10:00:00Z');
      await knex('esp_webhook_events').insert({
        id: 'e-1',
        provider: 'postmark',
        provider_event_id: 'p-1',
        received_at: received,
        status: 'processed',
        payload: '{}',
      });

      await knex.migrate.up({
        directory: migrationsDir,
        name: ANALYTICS_MIGRATION,
      });
      for (const table of [
        'esp_analytics_messages',
        'esp_analytics_daily',
        'esp_analytics_daily_bounces',
        'esp_analytics_state',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      // An event processed before the migration has no end time: the
      // rollup's first run reads the whole log from its start anyway.
      expect(
        await knex('esp_webhook_events')
          .where({ id: 'e-1' })
          .first('status', 'processed_at'),
      ).toEqual({ status: 'processed', processed_at: null });
      const row = {
        day: '2026-12-02',
        provider: 'postmark',
        email_type: 'transactional',
        route: 'default',
        route_label: 'Default provider',
      };
      await knex('esp_analytics_daily').insert(row);
      // Counts start at zero; one row per day and group.
      expect(
        await knex('esp_analytics_daily').first('sent', 'failed', 'cost'),
      ).toEqual({ sent: 0, failed: 0, cost: 0 });
      await expect(
        knex('esp_analytics_daily').insert(row),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });

      await knex.migrate.down({
        directory: migrationsDir,
        name: ANALYTICS_MIGRATION,
      });
      expect(await knex.schema.hasTable('esp_analytics_messages')).toBe(false);
      expect(await knex.schema.hasTable('esp_analytics_state')).toBe(false);
      expect(
        await knex.schema.hasColumn('esp_webhook_events', 'processed_at'),
      ).toBe(false);
      expect(
        await knex('esp_webhook_events').where({ id: 'e-1' }).first('status'),
      ).toEqual({ status: 'processed' });
      await knex.destroy();
    },
  );
});
