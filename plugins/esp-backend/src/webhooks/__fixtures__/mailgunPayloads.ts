/**
 * Mailgun webhook bodies in the documented format (documentation.mailgun.com,
 * "Webhooks" and "Events": `{ signature, "event-data" }`), unsigned: the
 * normalizers and the processor read only `event-data`; the receiver's
 * tests sign them.
 */

type Fields = {
  id?: string;
  messageId?: string;
  email?: string;
  /** Unix seconds, as Mailgun sends them (with a fraction). */
  timestamp?: number;
};

const signature = {
  timestamp: '1764669600',
  token: 'f3c3e2a1b5d94a2c8e0f6a7b9c1d2e3f4a5b6c7d8e9f0a1b2c',
  signature: '0'.repeat(64),
};

function common(event: string, f: Fields) {
  const email = f.email ?? 'alice@example.com';
  return {
    id: f.id ?? `${event}-CPgfbmQMTCKtHW6uIWtuVe`,
    timestamp: f.timestamp ?? 1764669601.2,
    'log-level': event === 'failed' ? 'error' : 'info',
    event,
    recipient: email,
    'recipient-domain': email.split('@')[1],
    message: {
      headers: {
        to: email,
        'message-id': f.messageId ?? '20261202100000.1.ABCDEF@mg.example.com',
        from: 'Sender <sender@mg.example.com>',
        subject: 'Test subject',
      },
      attachments: [],
      size: 111,
    },
    tags: ['my_tag_1'],
    campaigns: [],
    'user-variables': { 'my-var-1': 'Mailgun Variable #1' },
    flags: {
      'is-routed': false,
      'is-authenticated': true,
      'is-test-mode': false,
    },
  };
}

export function mailgunDelivered(f: Fields = {}) {
  return {
    signature,
    'event-data': {
      ...common('delivered', f),
      envelope: {
        transport: 'smtp',
        sender: 'bob@mg.example.com',
        'sending-ip': '209.61.154.250',
        targets: f.email ?? 'alice@example.com',
      },
      'delivery-status': {
        tls: true,
        'mx-host': 'smtp-in.example.com',
        code: 250,
        description: '',
        'session-seconds': 0.4331989288330078,
        utf8: true,
        'attempt-no': 1,
        message: 'OK',
        'certificate-verified': true,
      },
    },
  };
}

export function mailgunFailed(
  severity: 'permanent' | 'temporary',
  reason: string,
  f: Fields & {
    code?: number;
    bounceCode?: string;
    message?: string;
    description?: string;
  } = {},
) {
  return {
    signature,
    'event-data': {
      ...common('failed', f),
      severity,
      reason,
      envelope: {
        transport: 'smtp',
        sender: 'bob@mg.example.com',
        'sending-ip': '209.61.154.250',
        targets: f.email ?? 'alice@example.com',
      },
      'delivery-status': {
        'attempt-no': 1,
        message:
          f.message ??
          "5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
        code: f.code ?? 550,
        'bounce-code': f.bounceCode ?? '5.1.1',
        description: f.description ?? '',
        'session-seconds': 0.1,
        'mx-host': 'smtp-in.example.com',
        ...(severity === 'temporary' ? { 'retry-seconds': 600 } : {}),
      },
    },
  };
}

const clientInfo = (deviceType: string) => ({
  'client-info': {
    'client-name': 'Chrome',
    'client-os': deviceType === 'mobile' ? 'iOS' : 'Linux',
    'client-type': deviceType === 'mobile' ? 'mobile browser' : 'browser',
    'device-type': deviceType,
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
  },
  geolocation: { country: 'US', region: 'CA', city: 'San Francisco' },
  ip: '50.56.129.169',
});

export function mailgunOpened(f: Fields & { deviceType?: string } = {}) {
  return {
    signature,
    'event-data': {
      ...common('opened', f),
      ...clientInfo(f.deviceType ?? 'mobile'),
    },
  };
}

export function mailgunClicked(f: Fields & { url?: string } = {}) {
  return {
    signature,
    'event-data': {
      ...common('clicked', f),
      ...clientInfo('desktop'),
      url: f.url ?? 'https://example.com/offer',
    },
  };
}

export function mailgunUnsubscribed(f: Fields = {}) {
  return {
    signature,
    'event-data': { ...common('unsubscribed', f), ...clientInfo('desktop') },
  };
}

export function mailgunComplained(f: Fields = {}) {
  return { signature, 'event-data': common('complained', f) };
}
