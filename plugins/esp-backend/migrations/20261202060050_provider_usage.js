// @ts-check

/**
 * Sends per provider and UTC day: what free quotas, budget caps, the
 * overview's "sent today" and the routing page's 30-day volume count. Kept
 * apart from the message log, so that deleting old messages (retention)
 * leaves the figures as they were.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_provider_usage', table => {
    table.comment('Emails each provider accepted, per UTC day');
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, in UTC');
    table
      .integer('sent')
      .notNullable()
      .defaultTo(0)
      .comment('Messages and test emails the provider accepted that day');
    table
      .timestamp('last_sent_at', { useTz: true })
      .notNullable()
      .comment('When the latest of them was sent');
    table.primary(['provider', 'day']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_provider_usage');
};
