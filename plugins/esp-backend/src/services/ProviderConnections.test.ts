import { TestDatabases } from '@backstage/backend-test-utils';
import {
  SmtpSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import {
  createEspServices,
  createServiceFixture,
  SERVER_TOKEN,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { createProviders } from '../providers/registry';
import type { SmtpConnection } from '../providers/smtp/SmtpAdapter';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const ADMIN = 'user:default/admin';

describe.each(databases.eachSupportedId())(
  'ProviderConnections.sendingConnection on %s',
  databaseId => {
    let smtp: SmtpSandbox | undefined;
    afterEach(async () => {
      await smtp?.close().catch(() => undefined);
      smtp = undefined;
    });

    it('decrypts the credentials once per stored version of the provider, again after a save', async () => {
      const { configs, connections, cipher } = await createServiceFixture(
        databases,
        databaseId,
      );
      await configs.saveConfig('postmark', validPostmarkInput, ADMIN);
      const decrypt = jest.spyOn(cipher, 'decrypt');

      const first = await connections.sendingConnection('postmark');
      const second = await connections.sendingConnection('postmark');
      expect(decrypt).toHaveBeenCalledTimes(1);
      expect(second!.conn).toBe(first!.conn);
      expect(second!.conn).toMatchObject({
        serverToken: SERVER_TOKEN,
        batchSize: validPostmarkInput.advanced.batchSize,
      });

      // Disabling changes the row: its state is read fresh, the secrets again.
      await configs.setEnabled('postmark', false, ADMIN);
      const disabled = await connections.sendingConnection('postmark');
      expect(disabled!.stored.enabled).toBe(false);
      expect(decrypt).toHaveBeenCalledTimes(2);

      await configs.saveConfig(
        'postmark',
        {
          ...validPostmarkInput,
          advanced: { ...validPostmarkInput.advanced, batchSize: 500 },
        },
        ADMIN,
      );
      // The save's own live check decrypts too: count from here.
      const before = decrypt.mock.calls.length;
      const saved = await connections.sendingConnection('postmark');
      expect(saved!.conn).toMatchObject({ batchSize: 500 });
      expect(decrypt).toHaveBeenCalledTimes(before + 1);
      expect(await connections.sendingConnection('postmark')).toMatchObject({
        conn: saved!.conn,
      });
      expect(decrypt).toHaveBeenCalledTimes(before + 1);
    });

    it('keeps one pooled SMTP transport per relay configuration, sends through it, and closes it at shutdown', async () => {
      smtp = await startSmtpSandbox();
      const knex = await databases.init(databaseId);
      const services = await createEspServices({
        knex,
        providers: createProviders(),
      });
      const relay = {
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none' as const,
        username: null,
        defaultSender: 'noreply@example.com',
        timeoutSeconds: 5,
      };
      await services.configs.saveConfig('smtp', relay, ADMIN);
      const live = await services.connections.sendingConnection('smtp');
      const conn = live!.conn as SmtpConnection;
      expect(conn.pool).toBeDefined();
      const close = jest.spyOn(conn.pool!, 'close');
      const again = await services.connections.sendingConnection('smtp');
      expect((again!.conn as SmtpConnection).pool).toBe(conn.pool);

      for (const subject of ['One', 'Two', 'Three']) {
        await live!.adapter.sendEmail(conn, {
          from: 'noreply@example.com',
          to: 'ada@example.com',
          subject,
          text: subject,
        });
      }
      expect(smtp.messages.map(m => m.subject)).toEqual([
        'One',
        'Two',
        'Three',
      ]);
      // The pool stayed open across the sends.
      expect(close).not.toHaveBeenCalled();

      services.connections.closeSendingConnections();
      expect(close).toHaveBeenCalledTimes(1);
    });
  },
);
