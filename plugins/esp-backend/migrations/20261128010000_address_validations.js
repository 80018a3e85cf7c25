// @ts-check

/**
 * List validations are kept in the database so that a restart or a crash of
 * the backend resumes them (validation is billed per address: nothing checked
 * is checked twice) and so that any replica can answer for any of them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_address_validations', table => {
    table.comment(
      'One row per uploaded address list being or having been validated',
    );
    table.string('id', 36).primary().notNullable();
    table.string('provider_id', 32).notNullable();
    table.string('status', 16).notNullable().comment('running, done or failed');
    table.integer('total').notNullable();
    table.integer('processed').notNullable().defaultTo(0);
    table.integer('valid_count').notNullable().defaultTo(0);
    table.integer('invalid_count').notNullable().defaultTo(0);
    table.integer('risky_count').notNullable().defaultTo(0);
    table.text('error').nullable().comment('Why a failed validation stopped');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .string('lease_owner', 64)
      .nullable()
      .comment('The backend instance running it');
    table
      .timestamp('lease_expires_at', { useTz: true })
      .nullable()
      .comment('After this, another instance may take the run over');
    table.index(
      ['status', 'lease_expires_at'],
      'esp_address_validations_lease_idx',
    );
  });
  await knex.schema.createTable('esp_address_validation_rows', table => {
    table.comment('The addresses of a list and, once checked, their verdict');
    table
      .string('validation_id', 36)
      .notNullable()
      .references('id')
      .inTable('esp_address_validations')
      .onDelete('CASCADE');
    table.integer('line').notNullable().comment('Line of the uploaded CSV');
    // Text: a typo in an upload may be longer than any address can be.
    table.text('address').notNullable();
    table
      .string('verdict', 16)
      .nullable()
      .comment('valid, invalid or risky; null until checked');
    table.string('result', 64).nullable();
    table.string('risk', 16).nullable();
    table.primary(['validation_id', 'line']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_address_validation_rows');
  await knex.schema.dropTable('esp_address_validations');
};
