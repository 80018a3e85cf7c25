import {
  ConfigurableProviderId,
  DEFAULT_ERROR_ACTIONS,
  ESP_HUB_PAGE_PATH,
  ESP_MESSAGES,
  RoutingConfig,
  routingProviderName,
  SEND_ERROR_CLASS_LABELS,
  SendErrorClass,
} from '@internal/plugin-esp-common';

export type SendErrorInput = {
  errorClass: SendErrorClass;
  /** Attempts made on this provider so far, the failed one included (1 after the first failure). */
  attempt: number;
  /** The provider's Retry-After, when it gave one. */
  retryAfterSeconds?: number;
  /** The providers still to try after this one, in order (the decision's chain, minus those tried). */
  remainingChain: readonly ConfigurableProviderId[];
  /** The provider that failed: its name goes into the spec's sentences. */
  provider?: ConfigurableProviderId;
};

// Failures that mean the provider could not be reached or did not answer.
const UNREACHABLE = new Set<SendErrorClass>([
  'timeout',
  'connection_failure',
  'provider_5xx',
]);

export type NextSendStep =
  | { kind: 'retry'; delaySeconds: number; message: string }
  | { kind: 'failover'; provider: ConfigurableProviderId; message: string }
  | { kind: 'fail'; message: string };

/**
 * What the send path does after a failed attempt, by the admin's error table
 * (`errorActions`, the defaults for a class it does not name) and failover
 * settings: retry on the same provider up to `retryAttempts` more times, after
 * the provider's Retry-After or else `retryDelaySeconds`; then (or at once,
 * for a class set to fail over) the next provider when failover is on; or
 * fail the message.
 */
export function nextStepAfterError(
  input: SendErrorInput,
  config: Pick<RoutingConfig, 'failover' | 'errorActions'>,
): NextSendStep {
  const label = SEND_ERROR_CLASS_LABELS[input.errorClass];
  const action =
    config.errorActions[input.errorClass] ??
    DEFAULT_ERROR_ACTIONS[input.errorClass];

  if (action === 'fail') {
    return {
      kind: 'fail',
      message: `${label}: the message fails; another provider would refuse it too.`,
    };
  }
  if (action === 'retry' && input.attempt <= config.failover.retryAttempts) {
    const delaySeconds =
      input.retryAfterSeconds !== undefined && input.retryAfterSeconds >= 0
        ? Math.ceil(input.retryAfterSeconds)
        : config.failover.retryDelaySeconds;
    const detail = `${label}: retry ${input.attempt} of ${config.failover.retryAttempts} on the same provider in ${delaySeconds} s.`;
    return {
      kind: 'retry',
      delaySeconds,
      // The spec's sentence for the "Rate Limit Exceeded" edge case comes first.
      message:
        input.errorClass === 'rate_limited'
          ? `${ESP_MESSAGES.rateLimited} ${detail}`
          : detail,
    };
  }
  const after =
    action === 'retry'
      ? `${label}, and the ${config.failover.retryAttempts} retries are used up`
      : label;
  const next = input.remainingChain[0];
  if (!config.failover.enabled) {
    return {
      kind: 'fail',
      message: withSpecSentence(
        input,
        `${after}: failover is off, the message fails.`,
      ),
    };
  }
  if (!next) {
    return {
      kind: 'fail',
      message: withSpecSentence(
        input,
        `${after}: no provider is left in the failover order, the message fails.`,
      ),
    };
  }
  const detail = `${after}: failing over to ${routingProviderName(next)}.`;
  return {
    kind: 'failover',
    provider: next,
    // "ESP Service Down": the spec's two sentences, then the details.
    message:
      input.provider && UNREACHABLE.has(input.errorClass)
        ? `${ESP_MESSAGES.unreachable(
            routingProviderName(input.provider),
          )} Using fallback provider. ${detail}`
        : detail,
  };
}

/**
 * A message that fails for good starts with the spec's sentence for its
 * edge case: "Domain Not Verified" with where the DNS records are, "ESP
 * Service Down" without a fallback.
 */
function withSpecSentence(input: SendErrorInput, detail: string): string {
  if (input.errorClass === 'sender_not_verified') {
    const where = input.provider
      ? ` The DNS records to publish: ${ESP_HUB_PAGE_PATH}/${input.provider} (Sending domains).`
      : '';
    return `${ESP_MESSAGES.domainNotVerified}${where} ${detail}`;
  }
  if (input.provider && UNREACHABLE.has(input.errorClass)) {
    return `${ESP_MESSAGES.unreachable(
      routingProviderName(input.provider),
    )} ${detail}`;
  }
  return detail;
}
