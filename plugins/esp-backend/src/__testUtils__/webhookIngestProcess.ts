/*
 * The webhook receiver of one backend, in a process of its own, for the
 * crash test (webhookIngestCrash.test.ts): the services as plugin.ts wires
 * them over the database named in the environment, the Mailgun receiver on
 * a loopback port, and — with ESP_WEBHOOK_PROCESS=1 — the processing worker
 * with a processor that records each call in `test_processed_webhook_events`.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs webhookIngestProcess.ts
 *
 * Prints `ready <port>` once it serves. Environment: ESP_CRASH_DB (JSON knex
 * config), ESP_WEBHOOK_PROCESS.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SecretCipher } from '../lib/SecretCipher';
import { createWebhookReceiverRoutes } from '../routes/webhookReceiverRoutes';
import { createEspServices } from '../services/createEspServices';
import type { WebhookEventProcessor } from '../webhooks/WebhookEventProcessor';
import type { WebhookSecrets } from '../webhooks/WebhookSecrets';
import { MemoryCache } from './MemoryCache';

export const MAILGUN_CRASH_KEY = 'key-crash-test-0c9d8e7f';
export const PROCESSED_TABLE = 'test_processed_webhook_events';

const quiet: LoggerService = {
  info() {},
  debug() {},
  warn() {},
  error(message: string) {
    process.stderr.write(`${message}\n`);
  },
  child() {
    return quiet;
  },
};

const secrets: WebhookSecrets = {
  mailgunSigningKey: async () => MAILGUN_CRASH_KEY,
  postmarkAuth: async () => undefined,
  subscriptions: async () => [],
};

/** Records every call, so a test counts how often each event was processed. */
function recordingProcessor(knex: Knex): WebhookEventProcessor {
  return {
    async process(event) {
      await knex(PROCESSED_TABLE).insert({
        event_id: event.id,
        pid: process.pid,
      });
      return { status: 'processed', note: 'crash test' };
    },
  };
}

async function main() {
  const knex = knexFactory(JSON.parse(process.env.ESP_CRASH_DB!));
  const processing = process.env.ESP_WEBHOOK_PROCESS === '1';
  const services = await createEspServices({
    database: { getClient: async () => knex },
    cipher: new SecretCipher([{ id: 'crash-test', key: randomBytes(32) }]),
    providers: [],
    config: new ConfigReader({}),
    logger: quiet,
    cache: new MemoryCache(),
    webhooks: {
      secrets,
      processor: processing ? recordingProcessor(knex) : null,
      worker: { leaseMs: 2_000, pollIntervalMs: 100, concurrency: 4 },
    },
  });
  services.webhookWorker?.start();
  const app = express().use(
    createWebhookReceiverRoutes({ receiver: services.webhookReceiver! }),
  );
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
  });
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
