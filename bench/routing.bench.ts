/*
 * Routing decisions with 200 rules: the engine alone (uncached: every rule
 * evaluated and traced, the cost rules and the chain) against the decision
 * cache's hit path (key built from the configuration version, the providers'
 * fingerprint and the message, then the lookup), in one process.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/routing.bench.ts
 */
import {
  defaultRoutingConfig,
  EMAIL_TYPES,
  RoutingConfig,
  RoutingRule,
} from '@internal/plugin-esp-common';
import { decideRoute } from '../plugins/esp-backend/src/routing/decideRoute';
import {
  DecisionCache,
  providerStatesFingerprint,
} from '../plugins/esp-backend/src/routing/DecisionCache';
import type {
  ProviderStates,
  RoutingMessage,
} from '../plugins/esp-backend/src/routing/types';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20000);
const RULES = 200;
const providers = ['postmark', 'mailgun', 'smtp'] as const;

// 199 rules the email does not match (other types, or conditions that fail),
// the last one matching: the engine walks and traces all of them.
const rules: RoutingRule[] = Array.from({ length: RULES }, (_, i) => {
  const last = i === RULES - 1;
  return {
    id: `rule-${i + 1}`,
    emailType: last ? 'custom' : EMAIL_TYPES[i % (EMAIL_TYPES.length - 1)],
    customType: last ? 'Digest' : undefined,
    conditions: last
      ? [{ field: 'recipientDomain', value: 'example.com' }]
      : [
          { field: 'subject', value: `campaign ${i}` },
          { field: 'tag', value: `tag-${i}` },
        ],
    provider: providers[i % providers.length],
    priority: i + 1,
    enabled: i % 17 !== 0,
  };
});
const base = defaultRoutingConfig();
const config: RoutingConfig = {
  ...base,
  rules,
  cost: {
    ...base.cost,
    timeRouting: {
      ...base.cost.timeRouting,
      enabled: true,
      timeZone: 'Europe/Berlin',
    },
  },
};
const states: ProviderStates = {
  postmark: {
    enabled: true,
    configured: true,
    healthy: true,
    freeQuotaLeft: 40,
    budgetLeft: null,
    revision: 'a',
  },
  mailgun: {
    enabled: true,
    configured: true,
    healthy: true,
    freeQuotaLeft: 2900,
    budgetLeft: 50,
    revision: 'b',
  },
  smtp: {
    enabled: false,
    configured: true,
    healthy: true,
    freeQuotaLeft: null,
    budgetLeft: null,
    revision: 'c',
  },
};
const message: RoutingMessage = {
  emailType: 'custom',
  customType: 'Digest',
  subject: 'Your weekly digest',
  to: ['ada@example.com'],
  tags: ['weekly'],
  recipientCount: 1,
  sendAt: new Date('2026-12-02T12:00:00Z'),
};

function measure(label: string, fn: () => unknown) {
  for (let i = 0; i < 2000; i++) fn(); // warm-up: JIT
  const samples = new Float64Array(ITERATIONS);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    sink += (fn() as { trace: unknown[] }).trace.length;
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalNs = Number(process.hrtime.bigint() - start);
  samples.sort();
  const p = (q: number) =>
    samples[Math.min(ITERATIONS - 1, Math.floor(q * ITERATIONS))];
  const perSecond = Math.round(ITERATIONS / (totalNs / 1e9));
  console.log(
    `${label}: ${perSecond.toLocaleString('en-US')} decisions/s, p50 ${p(
      0.5,
    ).toFixed(2)} µs, p99 ${p(0.99).toFixed(2)} µs (checksum ${sink % 97})`,
  );
  return { perSecond, p50: p(0.5), p99: p(0.99) };
}

const decided = decideRoute({ message, config, states });
console.log(
  `routing with ${RULES} rules, ${ITERATIONS} decisions each: ${decided.provider} after ${decided.trace.length} trace steps`,
);
const uncached = measure('uncached (engine)', () =>
  decideRoute({ message, config, states }),
);
const cache = new DecisionCache();
const cached = measure('cached (key + lookup)', () =>
  cache.getOrDecide(
    DecisionCache.keyOf({
      configVersion: 7,
      providersFingerprint: providerStatesFingerprint(states),
      message,
      config,
    }),
    () => decideRoute({ message, config, states }),
  ),
);
console.log(
  `ratio cached/uncached: throughput ${(
    cached.perSecond / uncached.perSecond
  ).toFixed(1)}x, p99 ${(uncached.p99 / cached.p99).toFixed(1)}x lower`,
);
console.log(
  `goals: cached p99 < 20 µs ${
    cached.p99 < 20 ? 'met' : 'MISSED'
  }, uncached p99 < 200 µs ${uncached.p99 < 200 ? 'met' : 'MISSED'}`,
);
