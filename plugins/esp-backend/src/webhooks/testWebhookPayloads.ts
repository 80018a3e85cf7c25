import type {
  WebhookProviderId,
  WebhookTestInput,
} from '@internal/plugin-esp-common';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** The message a test event is about. */
export type TestEventSubject = {
  email: string;
  /** The provider's message id (Postmark's MessageID, Mailgun's Message-Id without brackets). */
  providerMessageId: string;
};

const CLIENT = { Name: 'Chrome', Company: 'Google', Family: 'Chrome' };
const OS = { Name: 'macOS', Company: 'Apple Computer, Inc.', Family: 'OS X' };
const GEO = {
  CountryISOCode: 'US',
  Country: 'United States',
  RegionISOCode: 'CA',
  Region: 'California',
  City: 'San Francisco',
  Zip: '94105',
  Coords: '37.7898,-122.3942',
  IP: '192.0.2.10',
};
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

/** A Postmark webhook body of the documented shape for the event type. */
export function postmarkTestPayload(
  type: WebhookTestInput['eventType'],
  subject: TestEventSubject,
  messageStream: string,
  at: Date,
): Record<string, unknown> {
  const common = {
    MessageStream: messageStream,
    MessageID: subject.providerMessageId,
    Tag: 'esp-hub-test',
    Metadata: { espHubTest: 'true' },
  };
  switch (type) {
    case 'delivered':
      return {
        RecordType: 'Delivery',
        ServerID: 1,
        ...common,
        Recipient: subject.email,
        DeliveredAt: at.toISOString(),
        Details: 'Test delivery webhook details (sent by ESP Hub)',
      };
    case 'bounced':
      return {
        RecordType: 'Bounce',
        // Postmark's bounce ids are 64-bit numbers.
        ID: Number.parseInt(randomBytes(4).toString('hex'), 16),
        Type: 'HardBounce',
        TypeCode: 1,
        Name: 'Hard bounce',
        ServerID: 1,
        ...common,
        Description:
          'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
        Details: 'Test bounce details (sent by ESP Hub)',
        Email: subject.email,
        From: 'sender@example.com',
        BouncedAt: at.toISOString(),
        DumpAvailable: false,
        Inactive: false,
        CanActivate: true,
        Subject: 'ESP Hub test webhook',
        Content: '',
      };
    case 'opened':
      return {
        RecordType: 'Open',
        ...common,
        FirstOpen: true,
        Client: CLIENT,
        OS,
        Platform: 'Desktop',
        UserAgent: USER_AGENT,
        ReadSeconds: 5,
        Geo: GEO,
        ReceivedAt: at.toISOString(),
        Recipient: subject.email,
      };
    default:
      // clicked
      return {
        RecordType: 'Click',
        ...common,
        ClickLocation: 'HTML',
        Client: CLIENT,
        OS,
        Platform: 'Desktop',
        UserAgent: USER_AGENT,
        OriginalLink: 'https://example.com/esp-hub-test',
        Geo: GEO,
        ReceivedAt: at.toISOString(),
        Recipient: subject.email,
      };
  }
}

/** Mailgun's event-data for the event type (its webhook payload's second half). */
export function mailgunTestEventData(
  type: WebhookTestInput['eventType'],
  subject: TestEventSubject,
  at: Date,
): Record<string, unknown> {
  const common = {
    id: randomUUID(),
    timestamp: at.getTime() / 1000,
    recipient: subject.email,
    'recipient-domain': subject.email.split('@').pop(),
    message: {
      headers: {
        'message-id': subject.providerMessageId,
        from: 'sender@example.com',
        to: subject.email,
        subject: 'ESP Hub test webhook',
      },
    },
    tags: ['esp-hub-test'],
    'user-variables': { espHubTest: 'true' },
  };
  switch (type) {
    case 'delivered':
      return {
        ...common,
        event: 'delivered',
        'log-level': 'info',
        'delivery-status': {
          code: 250,
          message: 'OK',
          description: '',
          'attempt-no': 1,
          'session-seconds': 1.2,
          'mx-host': 'mx.example.com',
        },
      };
    case 'bounced':
      return {
        ...common,
        event: 'failed',
        'log-level': 'error',
        severity: 'permanent',
        reason: 'bounce',
        'delivery-status': {
          code: 550,
          message:
            "5.1.1 The email account that you tried to reach does not exist. (sent by ESP Hub's test)",
          description: '',
          'attempt-no': 1,
          'mx-host': 'mx.example.com',
        },
      };
    case 'opened':
      return {
        ...common,
        event: 'opened',
        'log-level': 'info',
        ip: '192.0.2.10',
        geolocation: { country: 'US', region: 'CA', city: 'San Francisco' },
        'client-info': {
          'client-type': 'browser',
          'client-os': 'OS X',
          'device-type': 'desktop',
          'client-name': 'Chrome',
          'user-agent': USER_AGENT,
        },
      };
    default:
      // clicked
      return {
        ...common,
        event: 'clicked',
        'log-level': 'info',
        url: 'https://example.com/esp-hub-test',
        ip: '192.0.2.10',
        geolocation: { country: 'US', region: 'CA', city: 'San Francisco' },
        'client-info': {
          'client-type': 'browser',
          'client-os': 'OS X',
          'device-type': 'desktop',
          'client-name': 'Chrome',
          'user-agent': USER_AGENT,
        },
      };
  }
}

/** Mailgun's signature block: hex HMAC-SHA256 of timestamp + token with the signing key. */
export function mailgunSignature(signingKey: string, at: Date) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const token = randomBytes(25).toString('hex');
  const signature = createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
  return { timestamp, token, signature };
}

export type TestWebhookProvider = WebhookProviderId;
