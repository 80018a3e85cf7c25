// @ts-check

/**
 * One job queue for all work that runs later (list validation now; sending
 * and webhook processing next). List validations leave their own lease
 * columns behind: each batch of addresses is a job, leased by the queue.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_jobs', table => {
    table.comment('Work that runs later, claimed by workers with a lease');
    table.bigIncrements('id').primary();
    table
      .string('queue', 64)
      .notNullable()
      .comment('Which worker loop takes it');
    table
      .string('type', 64)
      .notNullable()
      .comment('Which handler of that worker runs it');
    table.text('payload').notNullable().comment('JSON; never secrets');
    table
      .string('status', 16)
      .notNullable()
      .comment('queued, running, done or dead');
    table.integer('attempts').notNullable().defaultTo(0);
    table.integer('max_attempts').notNullable();
    table
      .timestamp('run_at', { useTz: true })
      .notNullable()
      .comment('Not claimed before this time');
    table
      .string('dedupe_key', 255)
      .nullable()
      .unique({ indexName: 'esp_jobs_dedupe_key_idx' })
      .comment('Set while queued or running; cleared once done or dead');
    table
      .string('lease_token', 64)
      .nullable()
      .comment('The worker holding the job; every change compares it');
    table
      .timestamp('lease_until', { useTz: true })
      .nullable()
      .comment('After this, another worker may take the job over');
    table
      .text('last_error')
      .nullable()
      .comment('Message of the last failed attempt; never a secret');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['queue', 'status', 'run_at'], 'esp_jobs_claim_idx');
  });

  // A validation that was running under the old lease runner goes on as jobs:
  // its unchecked addresses, five to a job as that runner checked them.
  const now = new Date();
  const running = await knex('esp_address_validations')
    .where({ status: 'running' })
    .select('id');
  for (const { id } of running) {
    const lines = (
      await knex('esp_address_validation_rows')
        .where({ validation_id: id })
        .whereNull('verdict')
        .orderBy('line')
        .select('line')
    ).map(r => Number(r.line));
    const jobs = [];
    for (let i = 0; i < lines.length; i += 5) {
      jobs.push({
        queue: 'address-validation',
        type: 'address-validation.batch',
        payload: JSON.stringify({
          validationId: id,
          lines: lines.slice(i, i + 5),
        }),
        status: 'queued',
        max_attempts: 4,
        run_at: now,
        created_at: now,
      });
    }
    if (jobs.length > 0) await knex.batchInsert('esp_jobs', jobs, 100);
  }

  await knex.schema.alterTable('esp_address_validations', table => {
    table.dropIndex([], 'esp_address_validations_lease_idx');
    table.dropColumn('lease_owner');
    table.dropColumn('lease_expires_at');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('esp_address_validations', table => {
    table.string('lease_owner', 64).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.index(
      ['status', 'lease_expires_at'],
      'esp_address_validations_lease_idx',
    );
  });
  // Running validations are left with an expired lease: the old runner's
  // scheduled takeover resumes them.
  await knex.schema.dropTable('esp_jobs');
};
