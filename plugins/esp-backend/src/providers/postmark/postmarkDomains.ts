import type {
  DnsRecordView,
  DomainStatus,
  DomainDetailView,
  DomainView,
} from '@internal/plugin-esp-common';
import type { Models } from 'postmark';

// Postmark's Return-Path CNAME always points here (its documented bounce host).
const RETURN_PATH_TARGET = 'pm.mtasv.net';

const check = (verified: boolean): DomainStatus =>
  verified ? 'verified' : 'pending';

export function toDomainView(domain: Models.Domain): DomainView {
  return {
    id: String(domain.ID),
    name: domain.Name,
    status:
      domain.DKIMVerified && domain.ReturnPathDomainVerified
        ? 'verified'
        : 'pending',
    dkim: check(domain.DKIMVerified),
    returnPath: check(domain.ReturnPathDomainVerified),
    spf: 'not_applicable',
    cname: 'not_applicable',
  };
}

/** The records an admin publishes: until DKIM is verified Postmark shows the pending key. */
export function toDomainDetailView(
  domain: Models.DomainDetails,
): DomainDetailView {
  const records: DnsRecordView[] = [];
  const dkimHost = domain.DKIMVerified
    ? domain.DKIMHost
    : domain.DKIMPendingHost || domain.DKIMHost;
  const dkimValue = domain.DKIMVerified
    ? domain.DKIMTextValue
    : domain.DKIMPendingTextValue || domain.DKIMTextValue;
  if (dkimHost && dkimValue) {
    records.push({
      purpose: 'DKIM',
      type: 'TXT',
      host: dkimHost,
      value: dkimValue,
      status: check(domain.DKIMVerified),
    });
  }
  records.push({
    purpose: 'Return-Path',
    type: 'CNAME',
    host: domain.ReturnPathDomain || `pm-bounces.${domain.Name}`,
    value: domain.ReturnPathDomainCNAMEValue || RETURN_PATH_TARGET,
    status: check(domain.ReturnPathDomainVerified),
  });
  return { ...toDomainView(domain), records };
}

/** Postmark domain ids are integers; anything else cannot name one. */
export function parseDomainId(domainId: string): number | undefined {
  return /^\d{1,15}$/.test(domainId) ? Number(domainId) : undefined;
}
