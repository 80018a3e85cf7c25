// @ts-check

/**
 * The send path's records: each accepted message with what it needs to be
 * sent and what became of it, every attempt at a provider, the answers of
 * idempotent requests (kept 24 hours), and the suppression list.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_messages', table => {
    table.comment('Every message accepted by POST /api/esp/messages');
    table.string('id', 36).primary().comment('UUID handed to the caller');
    table
      .string('status', 32)
      .notNullable()
      .comment('queued, sending, sent, failed, suppressed or unknown');
    table.string('email_type', 32).notNullable();
    table.string('custom_type', 64).nullable();
    table
      .text('content')
      .notNullable()
      .comment(
        'JSON: from, to, cc, bcc, replyTo, subject, text, html, attachments',
      );
    table.text('tags').notNullable().comment('JSON array of strings');
    table.text('metadata').notNullable().comment('JSON object of strings');
    table.text('headers').notNullable().comment('JSON object of strings');
    table
      .string('provider', 32)
      .nullable()
      .comment('The provider that sent it, or is sending it');
    table.string('provider_message_id', 255).nullable();
    table
      .text('trace')
      .nullable()
      .comment('JSON: the routing decision (provider, chain, trace)');
    table
      .text('reason')
      .nullable()
      .comment('Why it failed or is suppressed, as a sentence');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Who sent it: a user entity ref or a service subject');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['status', 'created_at'], 'esp_messages_status_idx');
    table.index(['created_at'], 'esp_messages_created_idx');
  });

  await knex.schema.createTable('esp_message_attempts', table => {
    table.comment('Each try at sending a message through a provider');
    table.bigIncrements('id').primary();
    table
      .string('message_id', 36)
      .notNullable()
      .references('id')
      .inTable('esp_messages')
      .onDelete('CASCADE');
    table.string('provider', 32).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.integer('duration_ms').notNullable();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('sent, failed or unknown');
    table
      .string('error_class', 32)
      .nullable()
      .comment('One of the send error classes');
    table.text('error_text').nullable().comment('Never a secret');
    table.index(['message_id'], 'esp_message_attempts_message_idx');
  });

  await knex.schema.createTable('esp_idempotency_keys', table => {
    table.comment('Idempotency-Key answers of the send API, kept 24 hours');
    table
      .string('caller', 255)
      .notNullable()
      .comment('The principal that sent the key: keys are per caller');
    table.string('key', 255).notNullable();
    table
      .string('request_hash', 64)
      .notNullable()
      .comment('SHA-256 of the request body');
    table.text('answer').notNullable().comment('JSON of the 202 answer');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['caller', 'key']);
    table.index(['created_at'], 'esp_idempotency_keys_created_idx');
  });

  await knex.schema.createTable('esp_suppressions', table => {
    table.comment('Addresses ESP Hub does not send to');
    table
      .string('address', 320)
      .primary()
      .comment('Normalised: trimmed and lower case');
    table.text('reason').notNullable();
    table
      .string('source', 32)
      .notNullable()
      .comment('manual, bounce, complaint, unsubscribe');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_suppressions');
  await knex.schema.dropTable('esp_idempotency_keys');
  await knex.schema.dropTable('esp_message_attempts');
  await knex.schema.dropTable('esp_messages');
};
