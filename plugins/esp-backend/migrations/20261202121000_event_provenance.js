// @ts-check

/**
 * What webhook processing needs of the send path's tables: a suppression
 * entry says which provider's event added it (provenance; null for a manual
 * entry), and a message is found by the id its provider gave it, which every
 * delivery event carries.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('esp_suppressions', table => {
    table
      .string('provider', 32)
      .nullable()
      .comment('The provider whose event added it; null when added by hand');
    table
      .string('event_id', 64)
      .nullable()
      .comment('ESP Hub’s id of the webhook event that added it');
    table
      .timestamp('event_at', { useTz: true })
      .nullable()
      .comment('When the provider says the event happened');
  });
  await knex.schema.alterTable('esp_messages', table => {
    table.index(
      ['provider', 'provider_message_id'],
      'esp_messages_provider_message_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('esp_messages', table => {
    table.dropIndex(
      ['provider', 'provider_message_id'],
      'esp_messages_provider_message_idx',
    );
  });
  await knex.schema.alterTable('esp_suppressions', table => {
    table.dropColumn('event_at');
    table.dropColumn('event_id');
    table.dropColumn('provider');
  });
};
