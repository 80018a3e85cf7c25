import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { BounceClass, PlannedEvent } from '../events/eventPlan';
import type { MailgunSandboxMessage } from './MailgunSandboxState';

// Mailgun's failed events per bounce class: severity, reason, delivery-status.
const FAILURES: Record<
  BounceClass,
  {
    severity: 'permanent' | 'temporary';
    reason: string;
    code: number;
    message: string;
  }
> = {
  user_unknown: {
    severity: 'permanent',
    reason: 'bounce',
    code: 550,
    message: '5.1.1 The email account that you tried to reach does not exist.',
  },
  mailbox_full: {
    severity: 'temporary',
    reason: 'generic',
    code: 452,
    message: '4.2.2 The email account that you tried to reach is over quota.',
  },
  spam_block: {
    severity: 'permanent',
    reason: 'bounce',
    code: 554,
    message: '5.7.1 Message rejected: identified as spam.',
  },
  invalid_domain: {
    severity: 'permanent',
    reason: 'generic',
    code: 0,
    message: 'No MX for the recipient domain',
  },
  policy: {
    severity: 'permanent',
    reason: 'bounce',
    code: 550,
    message:
      '5.7.26 Unauthenticated email is not accepted due to the domain’s DMARC policy.',
  },
};

/** Which domain webhook id posts an event (a failed one by its severity). */
export function mailgunWebhookIdOf(event: PlannedEvent): string {
  if (event.kind === 'bounced') {
    return FAILURES[event.bounce].severity === 'permanent'
      ? 'permanent_fail'
      : 'temporary_fail';
  }
  return event.kind;
}

const CLIENT_INFO = {
  'client-type': 'browser',
  'client-os': 'Linux',
  'device-type': 'desktop',
  'client-name': 'Firefox',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
};

/** Mailgun's webhook body for the event: `signature` (signed with the key) and `event-data`. */
export function mailgunEventBody(
  event: PlannedEvent,
  message: MailgunSandboxMessage,
  recipient: string,
  signingKey: string,
  at: Date,
): Record<string, unknown> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const token = randomBytes(25).toString('hex');
  const signature = createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
  const common = {
    id: randomUUID(),
    timestamp: at.getTime() / 1000,
    recipient,
    'recipient-domain': recipient.split('@').pop(),
    tags: message.tags,
    'user-variables': message.variables ?? {},
    message: {
      headers: {
        'message-id': message.id,
        from: message.from,
        to: message.to.join(', '),
        subject: message.subject,
      },
    },
  };
  let data: Record<string, unknown>;
  switch (event.kind) {
    case 'delivered':
      data = {
        event: 'delivered',
        'log-level': 'info',
        'delivery-status': {
          code: 250,
          message: 'OK',
          description: '',
          'attempt-no': 1,
          'session-seconds': 0.8,
        },
      };
      break;
    case 'bounced': {
      const f = FAILURES[event.bounce];
      data = {
        event: 'failed',
        'log-level': f.severity === 'permanent' ? 'error' : 'warn',
        severity: f.severity,
        reason: f.reason,
        'delivery-status': {
          code: f.code,
          message: f.message,
          description: f.message,
          'attempt-no': 1,
        },
      };
      break;
    }
    case 'opened':
      data = {
        event: 'opened',
        'log-level': 'info',
        ip: '192.0.2.44',
        'client-info': CLIENT_INFO,
      };
      break;
    case 'clicked':
      data = {
        event: 'clicked',
        'log-level': 'info',
        ip: '192.0.2.44',
        url: 'https://example.com/sandbox-link',
        'client-info': CLIENT_INFO,
      };
      break;
    case 'complained':
      data = { event: 'complained', 'log-level': 'warn' };
      break;
    default:
      // unsubscribed
      data = {
        event: 'unsubscribed',
        'log-level': 'info',
        ip: '192.0.2.44',
        'client-info': CLIENT_INFO,
      };
      break;
  }
  return {
    signature: { timestamp, token, signature },
    'event-data': { ...common, ...data },
  };
}
