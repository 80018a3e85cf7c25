import type { BounceReasonClass } from '@internal/plugin-esp-common';

/**
 * Why a bounce happened, read from what the receiving server said: the
 * enhanced status code (RFC 3463) when there is one, the basic SMTP code,
 * then the words. Providers name their own types too (Postmark's DnsError,
 * Mailgun's espblock); those are mapped by the normalizers before this runs.
 */
export function bounceReasonClass(
  ...texts: Array<string | number | null | undefined>
): BounceReasonClass {
  const said = texts
    .filter(t => t !== null && t !== undefined && t !== '')
    .map(String)
    .join(' ')
    .toLowerCase();
  if (!said) return 'other';

  // Enhanced status codes are the most precise: X.1.1 no such mailbox,
  // X.1.2 no such host, X.2.2 mailbox full, X.7.x security and policy.
  const enhanced = said.match(/\b[45]\.(\d{1,3})\.(\d{1,3})\b/);
  if (enhanced) {
    const [, subject, detail] = enhanced;
    if (subject === '1' && (detail === '1' || detail === '0' || detail === '6'))
      return 'user_unknown';
    if (subject === '1' && detail === '2') return 'invalid_domain';
    if (subject === '2' && detail === '2') return 'mailbox_full';
    if (subject === '4' && (detail === '4' || detail === '1'))
      return 'invalid_domain';
    if (subject === '7') return 'spam_block';
  }

  if (
    /mailbox (is )?full|over (the )?quota|quota exceeded|insufficient (system )?storage|exceeded storage/.test(
      said,
    )
  ) {
    return 'mailbox_full';
  }
  if (
    /unknown user|user unknown|no such (user|mailbox|recipient)|does not exist|doesn't exist|address rejected|invalid recipient|recipient not found|mailbox unavailable|not a valid (email|address)|bad email address/.test(
      said,
    )
  ) {
    return 'user_unknown';
  }
  if (
    /domain not found|host not found|no mx|nxdomain|unrouteable|unroutable|dns (error|failure)|domain (does not exist|is invalid)/.test(
      said,
    )
  ) {
    return 'invalid_domain';
  }
  if (/spam|blocked|blacklist|blocklist|reputation|rbl|spamhaus/.test(said)) {
    return 'spam_block';
  }
  if (/policy|dmarc|not authori[sz]ed|rejected by|refused/.test(said)) {
    return 'policy';
  }

  // A bare SMTP code, when nothing else told: 552 is storage, 550/551/553
  // mailbox problems, 554 a refusal.
  const basic = said.match(/\b(5[05]\d|4[05]\d)\b/);
  if (basic) {
    const code = basic[1];
    if (code === '552' || code === '452') return 'mailbox_full';
    if (code === '550' || code === '551' || code === '553')
      return 'user_unknown';
    if (code === '554') return 'policy';
  }
  return 'other';
}

/** The Details column's words for a reason class: "User unknown". */
export const REASON_CLASS_LABELS: Record<BounceReasonClass, string> = {
  user_unknown: 'User unknown',
  mailbox_full: 'Mailbox full',
  spam_block: 'Blocked as spam',
  invalid_domain: 'Domain not found',
  policy: 'Refused by policy',
  other: 'Bounced',
};
