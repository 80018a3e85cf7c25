import {
  CONFIGURABLE_PROVIDER_IDS,
  RoutingConfig,
  RoutingDecision,
} from '@internal/plugin-esp-common';
import { domainOf } from './messageFacts';
import type { ProviderStates, RoutingMessage } from './types';

/** The spec: "Routing decisions cached for 5 minutes". */
export const DECISION_TTL_MS = 5 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 10_000;

// A states object is read once and not changed afterwards (the service builds
// a new one per decision), so its fingerprint is worked out once.
const fingerprints = new WeakMap<ProviderStates, string>();

/**
 * Everything a decision depends on about the providers, as one string. A
 * save, an enable or disable (the revision) or a failed connection test
 * changes it, and so does a breaker opening or closing. Free quota and budget left are in it as numbers: a usage
 * source that counts every send makes decisions miss after each send, so
 * the send path's source should answer figures that move in steps.
 */
export function providerStatesFingerprint(states: ProviderStates): string {
  const known = fingerprints.get(states);
  if (known !== undefined) return known;
  let key = '';
  for (const id of CONFIGURABLE_PROVIDER_IDS) {
    const s = states[id];
    key += s
      ? `${id}:${s.configured ? 1 : 0}${s.enabled ? 1 : 0}${s.healthy ? 1 : 0}${
          s.circuitOpen ? 1 : 0
        }:${s.freeQuotaLeft}:${s.budgetLeft}:${s.revision ?? ''};`
      : `${id}:-;`;
  }
  fingerprints.set(states, key);
  return key;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * What of the message can change the decision. The send time counts only to
 * the minute (windows are set in minutes, zone offsets are whole minutes) and
 * only when time-based routing is on, so one minute's emails share entries.
 */
export function messageKey(
  message: RoutingMessage,
  config: RoutingConfig,
): string {
  const timed =
    config.cost.timeRouting.enabled &&
    config.cost.timeRouting.windows.length > 0;
  const minute = timed ? Math.floor(message.sendAt.getTime() / 60_000) : '';
  const domains =
    message.to.length === 1
      ? [domainOf(message.to[0])]
      : sortedUnique(message.to.map(domainOf));
  const tags =
    message.tags.length < 2 ? message.tags : sortedUnique(message.tags);
  // As sent, not normalised: the trace quotes it.
  const custom =
    message.emailType === 'custom' ? message.customType?.trim() ?? '' : '';
  // Each text is prefixed with its length, so the parts stay apart
  // whatever they contain (a tag "a,b" is not the tags "a" and "b").
  let key = `${message.emailType}|${message.recipientCount}|${minute}|`;
  key += part(custom) + part(message.subject);
  key += `${domains.length}|`;
  for (const domain of domains) key += part(domain);
  key += `${tags.length}|`;
  for (const tag of tags) key += part(tag);
  return key;
}

function part(text: string): string {
  return `${text.length}:${text}`;
}

type Entry = { decision: RoutingDecision; expiresAt: number };

/**
 * Recent decisions, in process, at most `maxEntries` (least recently used
 * dropped first), each for five minutes. In-process is safe with several
 * replicas because the key carries the configuration's version and the
 * providers' fingerprint, both read from the database for each decision:
 * after a save or a provider change on any replica, every replica's next
 * lookup builds a key it has never stored and misses, so nothing has to be
 * told to drop anything. Stale entries simply age out.
 */
export class DecisionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(options?: {
    maxEntries?: number;
    ttlMs?: number;
    now?: () => number;
  }) {
    this.maxEntries = options?.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.ttlMs = options?.ttlMs ?? DECISION_TTL_MS;
    this.now = options?.now ?? Date.now;
  }

  static keyOf(parts: {
    configVersion: number;
    providersFingerprint: string;
    message: RoutingMessage;
    config: RoutingConfig;
  }): string {
    return `${parts.configVersion}|${part(
      parts.providersFingerprint,
    )}${messageKey(parts.message, parts.config)}`;
  }

  get size(): number {
    return this.entries.size;
  }

  getOrDecide(key: string, decide: () => RoutingDecision): RoutingDecision {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      // Re-inserting moves the entry to the young end of the Map's order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.decision;
    }
    if (hit) this.entries.delete(key);
    const decision = decide();
    this.entries.set(key, { decision, expiresAt: now + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return decision;
  }

  clear(): void {
    this.entries.clear();
  }
}
