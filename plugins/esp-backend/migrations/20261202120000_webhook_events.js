// @ts-check

/**
 * Webhook ingest: the durable log of events the providers post (stored before
 * they are acknowledged, processed later by jobs), the Mailgun tokens seen
 * (a token posted twice is a replay, whichever replica saw it first), and the
 * refused requests per provider and UTC day with the admins' alert throttle.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_webhook_events', table => {
    table.comment('Delivery events posted by Postmark and Mailgun');
    table.string('id', 36).primary().comment('ESP Hub id (UUID)');
    table.string('provider', 32).notNullable();
    table
      .string('provider_event_id', 255)
      .notNullable()
      .comment('Mailgun event-data.id; Postmark trace id or a digest');
    table.timestamp('received_at', { useTz: true }).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, processed, failed or ignored');
    table
      .string('type', 32)
      .nullable()
      .comment('Normalized type, once processed');
    table.string('email', 320).nullable();
    table.string('message_id', 64).nullable().comment('ESP Hub message id');
    table.string('provider_message_id', 255).nullable();
    table.text('details').nullable();
    table.timestamp('occurred_at', { useTz: true }).nullable();
    table.text('payload').notNullable().comment('The body as received (JSON)');
    table.text('result').nullable().comment('JSON: what processing did');
    table.integer('attempts').notNullable().defaultTo(0);
    table.unique(['provider', 'provider_event_id'], {
      indexName: 'esp_webhook_events_identity_idx',
    });
    // Newest first, with each filter narrowing the same order.
    table.index(['received_at', 'id'], 'esp_webhook_events_received_idx');
    table.index(['provider', 'received_at'], 'esp_webhook_events_provider_idx');
    table.index(['status', 'received_at'], 'esp_webhook_events_status_idx');
    table.index(['type', 'received_at'], 'esp_webhook_events_type_idx');
    table.index(['email'], 'esp_webhook_events_email_idx');
    table.index(['message_id'], 'esp_webhook_events_message_idx');
    table.index(
      ['provider_message_id'],
      'esp_webhook_events_provider_message_idx',
    );
  });

  await knex.schema.createTable('esp_webhook_tokens', table => {
    table.comment(
      'Mailgun signature tokens seen, until they could no longer verify',
    );
    table.string('provider', 32).notNullable();
    table.string('token', 128).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['provider', 'token']);
    table.index(['expires_at'], 'esp_webhook_tokens_expiry_idx');
  });

  await knex.schema.createTable('esp_webhook_rejections', table => {
    table.comment(
      'Webhook requests refused (bad signature, credentials, IP), per UTC day',
    );
    table.string('provider', 32).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, in UTC');
    table.integer('rejected').notNullable().defaultTo(0);
    table.primary(['provider', 'day']);
  });

  await knex.schema.createTable('esp_webhook_rejection_alerts', table => {
    table.comment('The admins alert throttle for refused webhook requests');
    table.string('provider', 32).primary();
    table
      .timestamp('last_alert_at', { useTz: true })
      .nullable()
      .comment('Compared and set by the replica that sends the alert');
    table
      .integer('unalerted')
      .notNullable()
      .defaultTo(0)
      .comment('Refusals since the last alert');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_webhook_rejection_alerts');
  await knex.schema.dropTable('esp_webhook_rejections');
  await knex.schema.dropTable('esp_webhook_tokens');
  await knex.schema.dropTable('esp_webhook_events');
};
