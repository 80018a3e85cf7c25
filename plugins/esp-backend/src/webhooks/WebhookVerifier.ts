import type { WebhookProviderId } from '@internal/plugin-esp-common';
import { timingSafeEqual } from 'node:crypto';
import { verifyMailgunWebhook } from '../providers/mailgun/mailgunWebhooks';
import { verifyPostmarkWebhook } from '../providers/postmark/postmarkWebhooks';
import type { WebhookSecrets } from './WebhookSecrets';
import { ipRangeMatcher, WebhookIngestConfig } from './readWebhookConfig';

/** What the receiver hands over: the bytes as received, headers, and the client address. */
export type ReceivedRequest = {
  rawBody: Buffer;
  /** The body parsed as JSON (the receiver refuses other bodies before asking). */
  body: unknown;
  headers: Record<string, string | undefined>;
  /** `req.ip`: the socket's peer, or the forwarded client when `trust proxy` is set. */
  ip: string | undefined;
};

export type Verification =
  | {
      ok: true;
      /** Mailgun: the token to record with the event (a second use is a replay). */
      replayToken?: { token: string; expiresAt: Date };
    }
  | { ok: false; reason: string };

/** Mailgun signs a timestamp: within this window of our clock, either way. */
export const MAILGUN_MAX_AGE_MS = 5 * 60 * 1000;

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides whether a posted webhook comes from the provider. Mailgun: the HMAC
 * of timestamp and token with the signing key, a fresh timestamp, and a token
 * not used before (recorded by the receiver with the event, in the shared
 * table). Postmark, which does not sign: the Basic credentials of the URL, the
 * secret header when one is set, and the source IP when the allowlist is
 * enforced. Reasons are for the security log: they name no secret.
 */
export class WebhookVerifier {
  private readonly postmarkIpAllowed: (ip: string) => boolean;

  constructor(
    private readonly options: {
      secrets: WebhookSecrets;
      config: WebhookIngestConfig;
      now?: () => Date;
    },
  ) {
    this.postmarkIpAllowed = ipRangeMatcher(
      options.config.postmarkIpAllowlist.ranges,
    );
  }

  verify(
    provider: WebhookProviderId,
    request: ReceivedRequest,
  ): Promise<Verification> {
    return provider === 'mailgun'
      ? this.verifyMailgun(request)
      : this.verifyPostmark(request);
  }

  private async verifyMailgun(request: ReceivedRequest): Promise<Verification> {
    const signature = (request.body as { signature?: unknown })?.signature as
      | { timestamp?: unknown; token?: unknown; signature?: unknown }
      | undefined;
    if (
      typeof signature?.timestamp !== 'string' ||
      typeof signature.token !== 'string' ||
      typeof signature.signature !== 'string'
    ) {
      return { ok: false, reason: 'missing signature' };
    }
    const key = await this.options.secrets.mailgunSigningKey();
    if (!key) return { ok: false, reason: 'no signing key configured' };
    const now = this.now();
    const signedAt = Number(signature.timestamp) * 1000;
    if (
      !Number.isFinite(signedAt) ||
      Math.abs(now.getTime() - signedAt) > MAILGUN_MAX_AGE_MS
    ) {
      return { ok: false, reason: 'timestamp outside the 5-minute window' };
    }
    if (!verifyMailgunWebhook(request, key, now)) {
      return { ok: false, reason: 'signature mismatch' };
    }
    if (signature.token.length > 128) {
      return { ok: false, reason: 'token too long' };
    }
    // Past its window the signature fails anyway: the token need not be kept longer.
    return {
      ok: true,
      replayToken: {
        token: signature.token,
        expiresAt: new Date(signedAt + MAILGUN_MAX_AGE_MS + 60_000),
      },
    };
  }

  private async verifyPostmark(
    request: ReceivedRequest,
  ): Promise<Verification> {
    const allowlist = this.options.config.postmarkIpAllowlist;
    if (allowlist.enforce && !this.postmarkIpAllowed(request.ip ?? '')) {
      return { ok: false, reason: 'source IP not in the allowlist' };
    }
    const auth = await this.options.secrets.postmarkAuth();
    if (!auth) return { ok: false, reason: 'no credentials generated' };
    if (!verifyPostmarkWebhook(request, `${auth.username}:${auth.password}`)) {
      return {
        ok: false,
        reason: request.headers.authorization
          ? 'wrong Basic credentials'
          : 'missing Basic credentials',
      };
    }
    if (
      auth.header &&
      !sameSecret(
        request.headers[auth.header.name.toLowerCase()],
        auth.header.value,
      )
    ) {
      return {
        ok: false,
        reason: `wrong or missing ${auth.header.name} header`,
      };
    }
    return { ok: true };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
