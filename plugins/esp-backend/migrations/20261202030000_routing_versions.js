// @ts-check

/**
 * Routing configuration, one row per saved version: the current one is the
 * highest. The version is the primary key, so two saves racing on several
 * replicas can never both take the same number: the second insert fails and
 * is told it conflicts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_routing_versions', table => {
    table.comment(
      'Every saved routing configuration; the highest version is current',
    );
    table
      .integer('version')
      .primary()
      .comment('1, 2, 3, …: the save or rollback that made it');
    table
      .text('config')
      .notNullable()
      .comment('The whole RoutingConfig as JSON; never secrets');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of the user who saved it');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .text('summary')
      .notNullable()
      .comment('One line: what this version changed against the one before');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('esp_routing_versions');
};
