// @ts-check

/**
 * One circuit breaker per provider, shared by every replica: the counts
 * that open it, when it opened, and the one probe let through after the
 * cool-down (claimed with a compare-and-set, so one replica sends it and
 * one replica announces each transition).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_provider_breakers', table => {
    table.comment('One circuit breaker per provider');
    table.string('provider', 32).primary();
    table
      .string('state', 16)
      .notNullable()
      .comment('closed, open or half_open (a probe is out)');
    table
      .integer('consecutive_failures')
      .notNullable()
      .comment('Transient failures in a row');
    table
      .timestamp('window_started_at', { useTz: true })
      .notNullable()
      .comment('Start of the current window bucket');
    table.integer('window_attempts').notNullable();
    table.integer('window_failures').notNullable();
    table
      .integer('previous_attempts')
      .notNullable()
      .comment('The bucket before the current one, weighted as it slides out');
    table.integer('previous_failures').notNullable();
    table.timestamp('opened_at', { useTz: true }).nullable();
    table
      .timestamp('probe_claimed_at', { useTz: true })
      .nullable()
      .comment('When a replica let the probe through (half_open)');
    table
      .string('last_error', 64)
      .nullable()
      .comment('Error class of the failure that opened it');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_provider_breakers');
};
