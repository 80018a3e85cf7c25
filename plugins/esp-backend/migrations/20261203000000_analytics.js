// @ts-check

/**
 * Analytics rollups. Each message a provider accepted (or every provider
 * refused) gets one row of facts: its send day, provider, email type, the
 * routing decision that sent it, its cost, and when it was first delivered,
 * bounced, opened, clicked. The daily tables are sums over those facts per
 * send day; the rollup task recomputes only the groups whose facts changed,
 * so a rerun writes the same sums. Facts are kept apart from the message log,
 * so that retention deleting old messages leaves the figures as they were.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('esp_analytics_messages', table => {
    table.comment('What analytics needs of each message, once rolled up');
    table.string('message_id', 36).primary().comment('esp_messages.id');
    table
      .string('provider', 32)
      .notNullable()
      .comment('The provider that sent it (or tried last, when it failed)');
    table
      .string('day', 10)
      .notNullable()
      .comment('YYYY-MM-DD in UTC: the send day every event counts on');
    table.string('email_type', 32).notNullable();
    table
      .string('route', 96)
      .notNullable()
      .comment('rule:<id>, default, cost:<kind> or failover');
    table
      .string('route_label', 255)
      .notNullable()
      .comment('The route as named when the message was sent');
    table
      .boolean('accepted')
      .notNullable()
      .comment('True when a provider accepted it; false when all refused');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table
      .double('cost')
      .notNullable()
      .defaultTo(0)
      .comment('US dollars at the provider’s routing price when rolled up');
    table.timestamp('delivered_at', { useTz: true }).nullable();
    table.timestamp('bounced_at', { useTz: true }).nullable();
    table
      .string('bounce_class', 32)
      .nullable()
      .comment('BounceReasonClass of the first bounce');
    table
      .string('bounce_domain', 255)
      .nullable()
      .comment('Domain of the address that bounced first, lower case');
    table.timestamp('first_open_at', { useTz: true }).nullable();
    table.timestamp('first_click_at', { useTz: true }).nullable();
    table.timestamp('complained_at', { useTz: true }).nullable();
    table.timestamp('unsubscribed_at', { useTz: true }).nullable();
    table.index(['day', 'provider'], 'esp_analytics_messages_day_idx');
  });

  await knex.schema.createTable('esp_analytics_daily', table => {
    table.comment('Sums of esp_analytics_messages per send day and group');
    table.string('day', 10).notNullable();
    table.string('provider', 32).notNullable();
    table.string('email_type', 32).notNullable();
    table.string('route', 96).notNullable();
    table.string('route_label', 255).notNullable();
    table.integer('sent').notNullable().defaultTo(0);
    table.integer('delivered').notNullable().defaultTo(0);
    table.integer('bounced').notNullable().defaultTo(0);
    table.integer('opened').notNullable().defaultTo(0);
    table.integer('clicked').notNullable().defaultTo(0);
    table.integer('complained').notNullable().defaultTo(0);
    table.integer('unsubscribed').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table
      .double('seconds_to_open')
      .notNullable()
      .defaultTo(0)
      .comment('Sum over opened messages of send to first open, in seconds');
    table.double('cost').notNullable().defaultTo(0);
    table.primary(['day', 'provider', 'email_type', 'route']);
  });

  await knex.schema.createTable('esp_analytics_daily_bounces', table => {
    table.comment('Bounced messages per send day, provider, reason and domain');
    table.string('day', 10).notNullable();
    table.string('provider', 32).notNullable();
    table.string('reason_class', 32).notNullable();
    table.string('domain', 255).notNullable();
    table.integer('bounces').notNullable().defaultTo(0);
    table.primary(['day', 'provider', 'reason_class', 'domain']);
  });

  await knex.schema.createTable('esp_analytics_state', table => {
    table.comment('How far the rollup task has read its sources');
    table.string('source', 32).primary().comment('messages or events');
    table
      .timestamp('watermark', { useTz: true })
      .notNullable()
      .comment(
        'Rows changed (messages) or processed (events) up to here are in',
      );
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  // The rollup reads what changed since its watermark.
  await knex.schema.alterTable('esp_messages', table => {
    table.index(['updated_at'], 'esp_messages_updated_idx');
  });
  await knex.schema.alterTable('esp_webhook_events', table => {
    table
      .timestamp('processed_at', { useTz: true })
      .nullable()
      .comment('When processing last ended (processed, ignored or failed)');
    table.index(['processed_at'], 'esp_webhook_events_processed_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('esp_webhook_events', table => {
    table.dropIndex(['processed_at'], 'esp_webhook_events_processed_idx');
    table.dropColumn('processed_at');
  });
  await knex.schema.alterTable('esp_messages', table => {
    table.dropIndex(['updated_at'], 'esp_messages_updated_idx');
  });
  await knex.schema.dropTable('esp_analytics_state');
  await knex.schema.dropTable('esp_analytics_daily_bounces');
  await knex.schema.dropTable('esp_analytics_daily');
  await knex.schema.dropTable('esp_analytics_messages');
};
