import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createRouterFixture, Route } from '../__testUtils__/routerFixture';
import { validPostmarkInput } from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'createRouter input validation on %s',
  databaseId => {
    const setup = (options?: { deny?: boolean }) =>
      createRouterFixture(databases, databaseId, options);

    describe('input validation (400 naming the field)', () => {
      const cases: Array<[string, Route, RegExp]> = [
        [
          'bad sender email',
          {
            method: 'post',
            path: '/providers/postmark',
            body: { ...validPostmarkInput, defaultSender: 'not-an-email' },
          },
          /^Default Sender: Enter a valid email address/,
        ],
        [
          'batch size out of range',
          {
            method: 'post',
            path: '/providers/postmark',
            body: {
              ...validPostmarkInput,
              advanced: { ...validPostmarkInput.advanced, batchSize: 501 },
            },
          },
          /^Batch size must be between 1 and 500\.$/,
        ],
        [
          'unknown field',
          {
            method: 'post',
            path: '/providers/postmark',
            body: { ...validPostmarkInput, region: 'eu' },
          },
          /^Unknown field: region\.$/,
        ],
        [
          'empty api key',
          {
            method: 'post',
            path: '/providers/postmark/credentials/validate',
            body: { apiKey: '' },
          },
          /^API key must not be empty\./,
        ],
        [
          'unknown field on validate',
          {
            method: 'post',
            path: '/providers/postmark/credentials/validate',
            body: { apiKey: 'x', extra: 1 },
          },
          /^Unknown field: extra\.$/,
        ],
        [
          'enabled not a boolean',
          {
            method: 'put',
            path: '/providers/postmark/enabled',
            body: { enabled: 'yes' },
          },
          /^Enabled must be true or false\.$/,
        ],
        [
          'bad domain name',
          {
            method: 'post',
            path: '/providers/postmark/domains',
            body: { name: 'not a domain' },
          },
          /^Enter a domain name such as mail\.yourdomain\.com\.$/,
        ],
        [
          'bad recipient email',
          {
            method: 'post',
            path: '/providers/postmark/test-email',
            body: { to: 'nobody' },
          },
          /^Recipient Email: Enter a valid email address/,
        ],
        [
          'unknown field on test email',
          {
            method: 'post',
            path: '/providers/postmark/test-email',
            body: { to: 'a@example.com', cc: 'b@example.com' },
          },
          /^Unknown field: cc\.$/,
        ],
      ];

      it.each(cases)('%s', async (_name, route, message) => {
        const { call, adapter, auditor } = await setup();
        const res = await call(route);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
        expect(adapter.calls).toEqual([]);
        expect(auditor.createEvent).not.toHaveBeenCalled();
      });

      it('refuses bodies above the size limit', async () => {
        const { call } = await setup();
        const res = await call({
          method: 'post',
          path: '/providers/postmark/test-email',
          body: { to: 'a@example.com', tags: ['x'.repeat(70_000)] },
        });
        expect(res.status).toBe(413);
        expect(res.body.error.message).toBe(
          'The request body is larger than the 64kb this route accepts',
        );
        expect(JSON.stringify(res.body)).not.toContain('xxxxxxxx');
      });

      it('asks for JSON when the body is of another type', async () => {
        const { app, adapter } = await setup();
        const res = await request(app)
          .post('/providers/postmark')
          .set('Authorization', mockCredentials.user.header())
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send('serverToken=abc&defaultSender=a%40example.com');
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'Send the request body as JSON (Content-Type: application/json)',
        );
        expect(adapter.calls).toEqual([]);
      });

      it('refuses broken JSON without repeating the body, which may hold a key', async () => {
        const { app, adapter } = await setup();
        const res = await request(app)
          .post('/providers/postmark')
          .set('Authorization', mockCredentials.user.header())
          .set('Content-Type', 'application/json')
          .send('{"serverToken": "pm-secret-token-1234",');
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          name: 'InputError',
          message: 'The request body is not valid JSON: send an object',
        });
        expect(JSON.stringify(res.body)).not.toContain('pm-secret-token');
        expect(adapter.calls).toEqual([]);
      });
    });
  },
);
