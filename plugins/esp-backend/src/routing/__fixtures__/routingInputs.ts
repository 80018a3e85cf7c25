import {
  defaultRoutingConfig,
  RoutingConfig,
  RoutingRule,
} from '@internal/plugin-esp-common';
import type { ProviderState, ProviderStates, RoutingMessage } from '../types';

/** Every provider configured, enabled, healthy, with no quota or budget limits in the way. */
export function allProvidersUp(
  overrides: Partial<Record<keyof ProviderStates, Partial<ProviderState>>> = {},
): ProviderStates {
  const up = (id: keyof ProviderStates): ProviderState => ({
    enabled: true,
    configured: true,
    healthy: true,
    freeQuotaLeft: id === 'smtp' ? null : 0,
    budgetLeft: null,
    ...overrides[id],
  });
  return { postmark: up('postmark'), mailgun: up('mailgun'), smtp: up('smtp') };
}

let ruleCount = 0;
export function rule(overrides: Partial<RoutingRule>): RoutingRule {
  ruleCount += 1;
  return {
    id: `r${ruleCount}`,
    emailType: 'transactional',
    conditions: [],
    provider: 'postmark',
    priority: ruleCount,
    enabled: true,
    ...overrides,
  };
}

/** The defaults with the cost rules off, so that a test turns on only the one it is about. */
export function config(overrides: Partial<RoutingConfig> = {}): RoutingConfig {
  const base = defaultRoutingConfig();
  return {
    ...base,
    cost: {
      ...base.cost,
      useFreeTiersFirst: false,
      volumeRouting: { enabled: false, minRecipients: 1000 },
    },
    ...overrides,
  };
}

export function message(
  overrides: Partial<RoutingMessage> = {},
): RoutingMessage {
  return {
    emailType: 'transactional',
    subject: 'Reset your password',
    to: ['ada@example.com'],
    tags: [],
    recipientCount: 1,
    sendAt: new Date('2026-12-02T12:00:00Z'),
    ...overrides,
  };
}
