import type { EmailType } from '@internal/plugin-esp-common';
import type { RoutingMessage } from './types';

/**
 * The parts of a message the rules look at, normalised once per decision
 * rather than once per rule: with hundreds of rules, lower-casing the subject
 * and splitting every address again for each would dominate the decision.
 */
export type MessageFacts = {
  emailType: EmailType;
  /** Lower case and trimmed; undefined unless the email is of a Custom type. */
  customType: string | undefined;
  subjectLower: string;
  /** Lower-case domains of the recipients. */
  domains: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  recipientCount: number;
  sendAt: Date;
};

export function domainOf(address: string): string {
  // "Ada <ada@example.com>" and "ada@example.com" both name example.com.
  const at = address.lastIndexOf('@');
  if (at < 0) return '';
  return address
    .slice(at + 1)
    .replace(/>.*$/, '')
    .trim()
    .toLowerCase();
}

export function normaliseCustomType(name: string | undefined): string {
  return (name ?? '').trim().toLowerCase();
}

export function messageFacts(message: RoutingMessage): MessageFacts {
  const domains = new Set<string>();
  for (const address of message.to) {
    const domain = domainOf(address);
    if (domain) domains.add(domain);
  }
  return {
    emailType: message.emailType,
    customType:
      message.emailType === 'custom'
        ? normaliseCustomType(message.customType)
        : undefined,
    subjectLower: message.subject.toLowerCase(),
    domains,
    tags: new Set(message.tags),
    recipientCount: Math.max(message.recipientCount, 0),
    sendAt: message.sendAt,
  };
}
