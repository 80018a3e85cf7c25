import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { BlockList, isIP } from 'node:net';
import { POSTMARK_WEBHOOK_IPS } from './webhookSettingsConfig';

export type WebhookIngestConfig = {
  postmarkIpAllowlist: { enforce: boolean; ranges: string[] };
};

/** `esp.webhooks` as the receivers read it; a malformed range fails startup. */
export function readWebhookConfig(config: Config): WebhookIngestConfig {
  const allowlist = config.getOptionalConfig(
    'esp.webhooks.postmark.ipAllowlist',
  );
  // The same default as the webhooks page shows: Postmark's published IPs.
  const ranges = allowlist?.getOptionalStringArray('ranges') ?? [
    ...POSTMARK_WEBHOOK_IPS,
  ];
  // Parsed once here so that a typo is found at startup, not on a request.
  ipRangeMatcher(ranges);
  return {
    postmarkIpAllowlist: {
      enforce: allowlist?.getOptionalBoolean('enforce') ?? false,
      ranges,
    },
  };
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, how Node shows IPv4 on a dual-stack socket) as IPv4. */
function plainIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

/**
 * Whether an address is in one of `ranges` (CIDR like `3.134.147.250/32` or
 * `2001:db8::/32`, or a single address), IPv4 and IPv6.
 */
export function ipRangeMatcher(ranges: string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.trim().split('/');
    const family = isIP(address);
    if (!family) {
      throw new InputError(`Not an IP range: ${range}`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = Number(prefix);
    if (
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > (family === 4 ? 32 : 128)
    ) {
      throw new InputError(`Not an IP range: ${range}`);
    }
    list.addSubnet(address, bits, type);
  }
  return ip => {
    const plain = plainIp(ip);
    const family = isIP(plain);
    if (!family) return false;
    return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}
