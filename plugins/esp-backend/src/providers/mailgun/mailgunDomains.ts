import type {
  DnsRecordView,
  DomainCheck,
  DomainDetailView,
  DomainStatus,
  DomainView,
} from '@internal/plugin-esp-common';

/** A DNS record as Mailgun lists it under `sending_dns_records` / `receiving_dns_records`. */
export type MailgunRecord = {
  record_type: string;
  name: string;
  value: string;
  valid?: string;
};

export type MailgunDomainLike = {
  name: string;
  state: string;
  sending_dns_records?: MailgunRecord[] | null;
  receiving_dns_records?: MailgunRecord[] | null;
};

const isSpf = (r: MailgunRecord) =>
  r.record_type === 'TXT' && r.value.startsWith('v=spf1');
const isDkim = (r: MailgunRecord) =>
  r.record_type === 'TXT' && r.name.includes('._domainkey.');
const isTracking = (r: MailgunRecord) => r.record_type === 'CNAME';

// Mailgun marks each record `valid`, `invalid` (checked and not found or
// wrong) or `unknown` (not checked yet): only a real check can fail.
function recordStatus(r: MailgunRecord): DomainStatus {
  if (r.valid === 'valid') return 'verified';
  return r.valid === 'invalid' ? 'failed' : 'pending';
}

function check(
  records: MailgunRecord[],
  match: (r: MailgunRecord) => boolean,
): DomainCheck {
  const found = records.filter(match);
  if (found.length === 0) return 'not_applicable';
  const statuses = found.map(recordStatus);
  if (statuses.every(s => s === 'verified')) return 'verified';
  return statuses.includes('failed') ? 'failed' : 'pending';
}

/**
 * `active` is verified and `disabled` (Mailgun stopped the domain) is failed.
 * An unverified domain is pending even when a check found its records missing:
 * unpublished or still-propagating DNS is the usual case, and Postmark's
 * domains read the same way. The records themselves still say "not found".
 */
function domainStatus(domain: MailgunDomainLike): DomainStatus {
  if (domain.state === 'active') return 'verified';
  return domain.state === 'disabled' ? 'failed' : 'pending';
}

export function toDomainView(domain: MailgunDomainLike): DomainView {
  const sending = domain.sending_dns_records ?? [];
  return {
    // Mailgun names domains, it has no separate id.
    id: domain.name,
    name: domain.name,
    status: domainStatus(domain),
    spf: check(sending, isSpf),
    dkim: check(sending, isDkim),
    cname: check(sending, isTracking),
    returnPath: 'not_applicable',
  };
}

export function toDomainDetailView(
  domain: MailgunDomainLike,
): DomainDetailView {
  const purpose = (r: MailgunRecord): DnsRecordView['purpose'] => {
    if (r.record_type === 'MX') return 'MX';
    if (isSpf(r)) return 'SPF';
    if (isDkim(r)) return 'DKIM';
    return 'Tracking';
  };
  const records = [
    ...(domain.sending_dns_records ?? []),
    ...(domain.receiving_dns_records ?? []),
  ]
    .filter(r => ['TXT', 'CNAME', 'MX'].includes(r.record_type))
    .map(r => ({
      purpose: purpose(r),
      type: r.record_type as DnsRecordView['type'],
      host: r.name,
      value: r.value,
      status: recordStatus(r),
    }));
  return { ...toDomainView(domain), records };
}
