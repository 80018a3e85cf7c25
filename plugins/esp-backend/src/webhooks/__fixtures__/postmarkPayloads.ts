/**
 * Postmark webhook bodies in the documented format (postmarkapp.com
 * developer docs, "Webhooks": Delivery, Bounce, Spam complaint, Open,
 * Click, Subscription change), with the message id and address to vary.
 */

type Fields = { messageId?: string; email?: string; at?: string };

const SERVER_ID = 23;
const STREAM = 'outbound';

export function postmarkDelivery(f: Fields = {}) {
  return {
    RecordType: 'Delivery',
    ServerID: SERVER_ID,
    MessageStream: STREAM,
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    Recipient: f.email ?? 'john@example.com',
    Tag: 'welcome-email',
    DeliveredAt: f.at ?? '2026-12-02T10:00:01.2Z',
    Details: 'Test delivery webhook details',
    Metadata: { a_key: 'a_value' },
  };
}

export function postmarkBounce(
  type: string,
  typeCode: number,
  f: Fields & {
    description?: string;
    details?: string;
    inactive?: boolean;
    id?: string;
  } = {},
) {
  return {
    RecordType: 'Bounce',
    // Bounce ids can exceed 2^53; a JSON body keeps them as written.
    ID: f.id ?? '4323372036854775807',
    Type: type,
    TypeCode: typeCode,
    Name: type,
    Tag: 'Test',
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    ServerID: SERVER_ID,
    MessageStream: STREAM,
    Description:
      f.description ??
      'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: f.details ?? 'Test bounce details',
    Email: f.email ?? 'john@example.com',
    From: 'sender@example.com',
    BouncedAt: f.at ?? '2026-12-02T10:00:05Z',
    DumpAvailable: true,
    Inactive: f.inactive ?? type === 'HardBounce',
    CanActivate: true,
    Subject: 'Test subject',
    Content: 'Return-Path:....',
    Metadata: { a_key: 'a_value' },
  };
}

export function postmarkSpamComplaint(f: Fields = {}) {
  return {
    RecordType: 'SpamComplaint',
    ID: '42',
    Type: 'SpamComplaint',
    TypeCode: 512,
    Name: 'Spam complaint',
    Tag: 'Test',
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    ServerID: SERVER_ID,
    MessageStream: STREAM,
    Description: '',
    Details: 'Test spam complaint details',
    Email: f.email ?? 'john@example.com',
    From: 'sender@example.com',
    BouncedAt: f.at ?? '2026-12-02T10:05:00Z',
    DumpAvailable: true,
    Inactive: true,
    CanActivate: false,
    Subject: 'Test subject',
    Content: '<Abuse report dump>',
  };
}

const client = {
  Name: 'Chrome 35.0.1916.153',
  Company: 'Google',
  Family: 'Chrome',
};
const os = {
  Name: 'OS X 10.7 Lion',
  Company: 'Apple Computer, Inc.',
  Family: 'OS X 10',
};
const geo = {
  CountryISOCode: 'RS',
  Country: 'Serbia',
  RegionISOCode: 'VO',
  Region: 'Autonomna Pokrajina Vojvodina',
  City: 'Novi Sad',
  Zip: '21000',
  Coords: '45.2517,19.8369',
  IP: '188.2.95.4',
};

export function postmarkOpen(
  f: Fields & { platform?: string; firstOpen?: boolean } = {},
) {
  return {
    RecordType: 'Open',
    MessageStream: STREAM,
    FirstOpen: f.firstOpen ?? true,
    Client: client,
    OS: os,
    Platform: f.platform ?? 'WebMail',
    UserAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36',
    ReadSeconds: 5,
    Geo: geo,
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    Metadata: { a_key: 'a_value' },
    ReceivedAt: f.at ?? '2026-12-02T10:10:00Z',
    Tag: 'welcome-email',
    Recipient: f.email ?? 'john@example.com',
  };
}

export function postmarkClick(f: Fields & { link?: string } = {}) {
  return {
    RecordType: 'Click',
    MessageStream: STREAM,
    ClickLocation: 'HTML',
    Client: client,
    OS: os,
    Platform: 'Desktop',
    UserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5)',
    OriginalLink: f.link ?? 'https://example.com/pricing',
    Geo: geo,
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    Metadata: { a_key: 'a_value' },
    ReceivedAt: f.at ?? '2026-12-02T10:11:00Z',
    Tag: 'welcome-email',
    Recipient: f.email ?? 'john@example.com',
  };
}

// Postmark sends null when sending resumes, ManualSuppression by default.
function suppressionReasonOf(f: {
  suppress?: boolean;
  reason?: string | null;
}) {
  if (f.reason !== undefined) return f.reason;
  return f.suppress === false ? null : 'ManualSuppression';
}

export function postmarkSubscriptionChange(
  f: Fields & { suppress?: boolean; reason?: string | null } = {},
) {
  return {
    RecordType: 'SubscriptionChange',
    MessageID: f.messageId ?? '883953f4-6105-42a2-a16a-77a8eac79483',
    ServerID: SERVER_ID,
    MessageStream: STREAM,
    ChangedAt: f.at ?? '2026-12-02T10:20:00Z',
    Recipient: f.email ?? 'john@example.com',
    Origin: 'Recipient',
    SuppressSending: f.suppress ?? true,
    SuppressionReason: suppressionReasonOf(f),
    Tag: 'my-tag',
    Metadata: { 'example-metadata': 'value' },
  };
}
