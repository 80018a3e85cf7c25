// @ts-check

/**
 * Each provider's webhook settings, shared by every replica: the subscribed
 * event types, the webhook secrets (encrypted with esp.secrets.keys: the
 * Postmark Basic credentials and secret header, the Mailgun signing key) and
 * the outcome of the last registration at the provider. `version` grows with
 * every write, so that two replicas generating credentials at once agree on
 * one set (compare-and-set).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_webhook_settings', table => {
    table.comment('Webhook settings per provider');
    table.string('provider', 32).primary();
    table
      .text('subscriptions')
      .notNullable()
      .comment('JSON array of subscribed event ids (WEBHOOK_SUBSCRIPTIONS)');
    table
      .text('secrets')
      .notNullable()
      .comment('JSON map of secret name to SecretCipher ciphertext');
    table
      .timestamp('registered_at', { useTz: true })
      .nullable()
      .comment('When the subscriptions were last registered at the provider');
    table
      .text('registration_error')
      .nullable()
      .comment('Why the last registration failed (no secrets in it)');
    table.integer('version').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_webhook_settings');
};
