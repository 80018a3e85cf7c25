import { z } from 'zod';
import { testEmailInputSchema } from './providers/common';
import { mailgunConfigInputSchema } from './providers/mailgun';
import { postmarkConfigInputSchema } from './providers/postmark';
import { smtpConfigInputSchema } from './providers/smtp';
import { describeValidationError } from './validationMessages';

const validPostmark = {
  serverToken: 'pm-token',
  defaultSender: 'noreply@example.com',
  tracking: { trackOpens: true, trackLinks: true, trackDelivery: false },
  advanced: {
    messageStream: 'outbound',
    batchSize: 50,
    retryAttempts: 3,
    timeoutSeconds: 30,
  },
};

function describe400(schema: z.ZodType, body: unknown): string {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected the body to be refused');
  return describeValidationError(parsed.error);
}

describe('describeValidationError', () => {
  it('names an entry of a list field in the page words, not the schema path', () => {
    expect(
      describe400(testEmailInputSchema, {
        to: 'a@example.com',
        tags: ['ok', 'x'.repeat(129)],
      }),
    ).toBe('Tags: tag 2 is longer than 128 characters.');
  });

  it('keeps a schema message that already names the field', () => {
    expect(
      describe400(postmarkConfigInputSchema, {
        ...validPostmark,
        advanced: { ...validPostmark.advanced, batchSize: 501 },
      }),
    ).toBe('Batch size must be between 1 and 500.');
  });

  it('puts the field label in front of a message that does not name it', () => {
    expect(
      describe400(postmarkConfigInputSchema, {
        ...validPostmark,
        defaultSender: 'not-an-email',
      }),
    ).toBe(
      'Default Sender: Enter a valid email address, e.g. noreply@yourdomain.com.',
    );
  });

  it('rewrites zod wording for a missing or mistyped field', () => {
    const { testMode: _testMode, ...advanced } = {
      tagPrefix: '',
      batchSize: 100,
      retryAttempts: 3,
      timeoutSeconds: 30,
      testMode: false,
    };
    expect(
      describe400(mailgunConfigInputSchema, {
        domain: 'mg.example.com',
        region: 'us',
        tracking: {
          trackOpens: true,
          trackClicks: true,
          autoUnsubscribe: true,
          dkimSigning: 'yes',
        },
        advanced,
      }),
    ).toBe('DKIM Signing must be true or false. Testmode is required.');
  });

  it('says which fields are unknown, and where', () => {
    expect(
      describe400(postmarkConfigInputSchema, {
        ...validPostmark,
        region: 'eu',
      }),
    ).toBe('Unknown field: region.');
    expect(
      describe400(postmarkConfigInputSchema, {
        ...validPostmark,
        advanced: { ...validPostmark.advanced, speed: 1, colour: 2 },
      }),
    ).toBe('Advanced Settings: unknown fields: speed, colour.');
  });

  it('joins several problems into sentences, one per field', () => {
    expect(
      describe400(smtpConfigInputSchema, {
        host: 'smtp.example.com',
        port: 70000,
        tls: 'ssl',
        username: null,
        defaultSender: 'noreply@example.com',
        timeoutSeconds: 30,
      }),
    ).toBe(
      'Port must be between 1 and 65535. TLS mode must be none, starttls or tls.',
    );
  });

  it('words a list that is too long and text that is empty', () => {
    expect(
      describe400(testEmailInputSchema, {
        to: 'a@example.com',
        tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
      }),
    ).toBe('Tags holds at most 10 entries.');
    expect(
      describe400(testEmailInputSchema, { to: 'a@example.com', tags: [' '] }),
    ).toBe('Tags: tag 1 must not be empty.');
  });
});
