// @ts-check

/**
 * How many addresses of an upload repeated an earlier one (compared trimmed
 * and case-insensitively). They are checked, and paid for, once; the count
 * tells the admin why the total is smaller than the file.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('esp_address_validations', table => {
    table
      .integer('duplicates')
      .notNullable()
      .defaultTo(0)
      .comment('Repeated addresses dropped from the upload');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('esp_address_validations', table => {
    table.dropColumn('duplicates');
  });
};
