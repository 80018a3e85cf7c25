// @ts-check

/**
 * What the message list filters and shows without reading each message's
 * content (JSON that may hold megabytes of attachments): every recipient of
 * a message as its own row, keyed by the normalised address, and the
 * subject as a column. Indexes for the list's other filters, each ending in
 * created_at so a filtered page is read newest first from the index.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_message_recipients', table => {
    table.comment('Each to, cc and bcc address of a message, for the search');
    table
      .string('message_id', 36)
      .notNullable()
      .references('id')
      .inTable('esp_messages')
      .onDelete('CASCADE');
    table.string('kind', 3).notNullable().comment('to, cc or bcc');
    table
      .integer('position')
      .notNullable()
      .comment('Its place in the message’s list of that kind');
    table
      .string('address', 320)
      .notNullable()
      .comment('Normalised: trimmed and lower case');
    table.primary(['message_id', 'kind', 'position']);
    table.index(['address', 'message_id'], 'esp_message_recipients_addr_idx');
  });
  if (knex.client.config.client === 'pg') {
    // A prefix search (LIKE 'ada@%') uses a btree only with pattern ops
    // under a non-C collation.
    await knex.raw(
      'CREATE INDEX esp_message_recipients_prefix_idx ON esp_message_recipients (address varchar_pattern_ops)',
    );
  }

  await knex.schema.alterTable('esp_messages', table => {
    table.text('subject').nullable().comment('Copied from content for lists');
    table.index(['provider', 'created_at'], 'esp_messages_provider_idx');
    table.index(['email_type', 'created_at'], 'esp_messages_type_idx');
  });

  // Messages stored before this migration get their rows too.
  let after = '';
  for (;;) {
    const rows = await knex('esp_messages')
      .select('id', 'content')
      .where('id', '>', after)
      .orderBy('id')
      .limit(200);
    if (rows.length === 0) break;
    for (const row of rows) {
      const content = JSON.parse(row.content);
      const recipients = ['to', 'cc', 'bcc'].flatMap(kind =>
        (content[kind] ?? []).map(
          (/** @type {string} */ address, /** @type {number} */ position) => ({
            message_id: row.id,
            kind,
            position,
            address: String(address).trim().toLowerCase(),
          }),
        ),
      );
      if (recipients.length) {
        await knex('esp_message_recipients').insert(recipients);
      }
      await knex('esp_messages')
        .where({ id: row.id })
        .update({ subject: String(content.subject ?? '') });
    }
    after = rows[rows.length - 1].id;
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('esp_messages', table => {
    table.dropIndex(['email_type', 'created_at'], 'esp_messages_type_idx');
    table.dropIndex(['provider', 'created_at'], 'esp_messages_provider_idx');
    table.dropColumn('subject');
  });
  await knex.schema.dropTable('esp_message_recipients');
};
