// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_provider_config', table => {
    table.comment('One row per configured email service provider');
    table
      .string('provider_id', 32)
      .primary()
      .notNullable()
      .comment('postmark, mailgun, smtp, …');
    table
      .boolean('enabled')
      .notNullable()
      .defaultTo(true)
      .comment('A disabled provider is never used for sending');
    table
      .text('settings')
      .notNullable()
      .comment('JSON of the non-secret settings');
    table
      .text('secrets')
      .notNullable()
      .comment('JSON map of secret name to AES-256-GCM ciphertext with key id');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table
      .string('updated_by', 255)
      .nullable()
      .comment('Entity ref of the admin');
    table.timestamp('last_tested_at', { useTz: true }).nullable();
    table.boolean('last_test_ok').nullable();
    table.text('last_test_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_provider_config');
};
