import { z } from 'zod';

/**
 * Field names as the pages show them, by the field's path in a request body.
 * A path not listed here is looked up by its last name, so `timeoutSeconds`
 * reads "Timeout" both under `advanced` (Postmark, Mailgun) and at the top
 * (SMTP).
 */
const FIELD_LABELS: Record<string, string> = {
  serverToken: 'API Token',
  accountToken: 'Account Token',
  apiKey: 'API Key',
  defaultSender: 'Default Sender',
  tracking: 'Tracking Options',
  trackOpens: 'Track Opens',
  trackLinks: 'Track Links',
  trackClicks: 'Track Clicks',
  trackDelivery: 'Track Delivery',
  autoUnsubscribe: 'Automatic Unsubscribe',
  dkimSigning: 'DKIM Signing',
  advanced: 'Advanced Settings',
  messageStream: 'Message Stream',
  batchSize: 'Batch Size',
  retryAttempts: 'Retry Attempts',
  timeoutSeconds: 'Timeout',
  tagPrefix: 'Tag Prefix',
  testMode: 'Testmode',
  domain: 'Domain',
  region: 'Region',
  host: 'Host',
  port: 'Port',
  tls: 'TLS Mode',
  username: 'Username',
  password: 'Password',
  to: 'Recipient Email',
  tags: 'Tags',
  name: 'Domain name',
  enabled: 'Enabled',
  csv: 'CSV file',
};

/** What one entry of a list field is called ("tag 2" of Tags). */
const ITEM_NOUNS: Record<string, string> = {
  tags: 'tag',
};

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

const english = z.locales.en();

/** The sentence zod would have written itself: the schema gave no message of its own. */
function isZodDefault(issue: z.core.$ZodIssue): boolean {
  if (
    issue.code === 'invalid_type' &&
    issue.message.startsWith('Invalid input')
  )
    return true;
  const fallback = english.localeError(issue as never);
  const text = typeof fallback === 'string' ? fallback : fallback?.message;
  return text === issue.message;
}

/** The page's name for a field path, or the last name made readable. */
/** @public */
export function fieldLabel(
  path: ReadonlyArray<PropertyKey>,
): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names.length === 0) return undefined;
  const full = FIELD_LABELS[names.join('.')];
  if (full) return full;
  const last = names[names.length - 1];
  if (FIELD_LABELS[last]) return FIELD_LABELS[last];
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Who the sentence is about and what goes in front of it: a field ("Batch
 * Size"), or an entry of a list field ("tag 2", after "Tags: ").
 */
function subjectOf(path: ReadonlyArray<PropertyKey>): {
  prefix: string;
  subject: string;
} {
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const listPath = path.slice(0, -1);
    const listName = listPath[listPath.length - 1];
    const label = fieldLabel(listPath) ?? 'List';
    const noun =
      (typeof listName === 'string' && ITEM_NOUNS[listName]) || 'entry';
    return { prefix: `${label}: `, subject: `${noun} ${last + 1}` };
  }
  return { prefix: '', subject: fieldLabel(path) ?? 'The request' };
}

/** zod's own message, said about the field in the page's words. */
function ownSentence(issue: z.core.$ZodIssue, subject: string): string {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string')
        return `${subject} is longer than ${issue.maximum} characters`;
      if (issue.origin === 'array')
        return `${subject} holds at most ${issue.maximum} entries`;
      return `${subject} must be at most ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? `${subject} must not be empty`
          : `${subject} is shorter than ${issue.minimum} characters`;
      if (issue.origin === 'array')
        return `${subject} needs at least ${issue.minimum} entries`;
      return `${subject} must be at least ${issue.minimum}`;
    case 'invalid_type':
      // zod words a missing field as "received undefined".
      if (issue.message.endsWith('received undefined'))
        return `${subject} is required`;
      return `${subject} must be ${
        EXPECTED_WORDS[issue.expected] ?? issue.expected
      }`;
    case 'invalid_format':
      return issue.format === 'email'
        ? `${subject} must be an email address`
        : `${subject} is not in the expected format`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values
        .map(v => String(v))
        .join(', ')}`;
    default:
      return `${subject}: ${issue.message}`;
  }
}

const asSentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/**
 * One issue as a sentence that names the field as the page labels it, e.g.
 * "Tags: tag 2 is longer than 128 characters." or "Batch size must be between
 * 1 and 500." A schema's own message is kept; zod's generic wording
 * ("Too big: expected string to have <=128 characters") is rewritten.
 * @public
 */
export function describeValidationIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = fieldLabel(issue.path);
    const fields = `unknown field${
      issue.keys.length > 1 ? 's' : ''
    }: ${issue.keys.join(', ')}`;
    return asSentence(where ? `${where}: ${fields}` : fields);
  }
  const { prefix, subject } = subjectOf(issue.path);
  if (isZodDefault(issue)) {
    return asSentence(`${prefix}${ownSentence(issue, subject)}`);
  }
  // The schema's own message usually starts with the field's name already.
  const named =
    prefix === '' &&
    issue.message.toLowerCase().includes(subject.toLowerCase());
  return asSentence(
    named || issue.path.length === 0
      ? `${prefix}${issue.message}`
      : `${prefix}${subject}: ${issue.message}`,
  );
}

/**
 * Turns a zod error into one sentence per problem, each naming the field in
 * the page's words; what the backend answers on every 400.
 * @public
 */
export function describeValidationError(error: z.ZodError): string {
  return error.issues.map(describeValidationIssue).join(' ');
}
