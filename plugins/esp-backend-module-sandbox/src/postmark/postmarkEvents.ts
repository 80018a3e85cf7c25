import { randomBytes } from 'node:crypto';
import type { BounceClass, PlannedEvent } from '../events/eventPlan';
import type { SandboxMessage } from './PostmarkSandboxState';
import type { SandboxWebhook } from './webhooksApi';

// Postmark's bounce types (TypeCode, Type, Name, Description) per class.
const BOUNCES: Record<
  BounceClass,
  {
    TypeCode: number;
    Type: string;
    Name: string;
    Description: string;
    Details: string;
  }
> = {
  user_unknown: {
    TypeCode: 1,
    Type: 'HardBounce',
    Name: 'Hard bounce',
    Description:
      'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details:
      'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
  },
  mailbox_full: {
    TypeCode: 4096,
    Type: 'SoftBounce',
    Name: 'Soft bounce/Undeliverable',
    Description:
      'Unable to temporarily deliver this email. This is usually the result of a full mailbox.',
    Details:
      'smtp;452 4.2.2 The email account that you tried to reach is over quota.',
  },
  spam_block: {
    TypeCode: 100006,
    Type: 'Blocked',
    Name: 'ISP block',
    Description:
      'The ISP has blocked this message, usually because it looks like spam.',
    Details:
      'smtp;554 5.7.1 Message rejected because it was identified as spam.',
  },
  invalid_domain: {
    TypeCode: 256,
    Type: 'DnsError',
    Name: 'DNS error',
    Description:
      'A temporary DNS error: the recipient domain could not be resolved.',
    Details: 'DNS lookup failed: no MX or A record for the recipient domain.',
  },
  policy: {
    TypeCode: 100009,
    Type: 'DMARCPolicy',
    Name: 'DMARC Policy',
    Description:
      'The message was refused because of the sender domain’s DMARC policy.',
    Details:
      'smtp;550 5.7.26 Unauthenticated email is not accepted due to the domain’s DMARC policy.',
  },
};

/** Which webhook trigger posts an event kind. */
export const POSTMARK_TRIGGER_OF: Record<
  PlannedEvent['kind'],
  keyof SandboxWebhook['Triggers']
> = {
  delivered: 'Delivery',
  bounced: 'Bounce',
  opened: 'Open',
  clicked: 'Click',
  complained: 'SpamComplaint',
  unsubscribed: 'SubscriptionChange',
};

const CLIENT = { Name: 'Firefox', Company: 'Mozilla', Family: 'Firefox' };
const OS = { Name: 'Linux', Company: 'Linux Foundation', Family: 'Linux' };
const GEO = {
  CountryISOCode: 'DE',
  Country: 'Germany',
  City: 'Berlin',
  IP: '192.0.2.44',
};

/** The webhook body Postmark posts for the event, in its documented format. */
export function postmarkEventBody(
  event: PlannedEvent,
  message: SandboxMessage,
  recipient: string,
  at: Date,
): Record<string, unknown> {
  const common = {
    MessageStream: message.MessageStream,
    MessageID: message.MessageID,
    Tag: message.Tag ?? '',
    Metadata: message.Metadata ?? {},
  };
  const time = at.toISOString();
  switch (event.kind) {
    case 'delivered':
      return {
        RecordType: 'Delivery',
        ServerID: 1,
        ...common,
        Recipient: recipient,
        DeliveredAt: time,
        Details: 'smtp;250 2.0.0 OK',
      };
    case 'bounced':
    case 'complained': {
      const kind =
        event.kind === 'bounced'
          ? BOUNCES[event.bounce]
          : {
              TypeCode: 100001,
              Type: 'SpamComplaint',
              Name: 'Spam complaint',
              Description:
                'The subscriber explicitly marked this message as spam.',
              Details: 'Reported as spam by the recipient',
            };
      return {
        RecordType: event.kind === 'bounced' ? 'Bounce' : 'SpamComplaint',
        ID: Number.parseInt(randomBytes(5).toString('hex'), 16),
        ...kind,
        ServerID: 1,
        ...common,
        Email: recipient,
        From: message.From,
        BouncedAt: time,
        DumpAvailable: false,
        Inactive: kind.TypeCode === 1 || kind.TypeCode === 100001,
        CanActivate: true,
        Subject: message.Subject ?? '',
        Content: '',
      };
    }
    case 'opened':
      return {
        RecordType: 'Open',
        ...common,
        FirstOpen: true,
        Client: CLIENT,
        OS,
        Platform: 'Desktop',
        UserAgent:
          'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
        ReadSeconds: 12,
        Geo: GEO,
        ReceivedAt: time,
        Recipient: recipient,
      };
    case 'clicked':
      return {
        RecordType: 'Click',
        ...common,
        ClickLocation: 'HTML',
        Client: CLIENT,
        OS,
        Platform: 'Desktop',
        UserAgent:
          'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
        OriginalLink: 'https://example.com/sandbox-link',
        Geo: GEO,
        ReceivedAt: time,
        Recipient: recipient,
      };
    default:
      // unsubscribed
      return {
        RecordType: 'SubscriptionChange',
        ServerID: 1,
        ...common,
        ChangedAt: time,
        Recipient: recipient,
        Origin: 'Recipient',
        SuppressSending: true,
        SuppressionReason: 'ManualSuppression',
      };
  }
}
