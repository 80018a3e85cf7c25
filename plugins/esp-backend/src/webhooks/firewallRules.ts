import { InputError } from '@backstage/errors';
import { isIP } from 'node:net';

export const FIREWALL_FORMATS = ['nftables', 'iptables', 'ufw'] as const;
export type FirewallFormat = (typeof FIREWALL_FORMATS)[number];

function checkedRanges(ranges: string[]): { v4: string[]; v6: string[] } {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const range of ranges) {
    const [address, prefix] = range.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (
      !family ||
      (bits !== undefined &&
        (!Number.isInteger(bits) || bits < 0 || bits > max))
    ) {
      throw new InputError(`Not an IP range: ${range}`);
    }
    (family === 4 ? v4 : v6).push(`${address}/${bits ?? max}`);
  }
  return { v4, v6 };
}

/**
 * Rules that let only `ranges` reach the backend's TCP `port` (where the
 * webhook receivers listen) and drop everyone else on that port. Packet
 * filters see ports, not URL paths: the whole port is restricted, so these
 * suit a port (or a listener in front) that serves the webhooks alone.
 */
export function firewallRules(
  format: FirewallFormat,
  options: { ranges: string[]; port: number; comment: string },
): string {
  const { v4, v6 } = checkedRanges(options.ranges);
  const { port, comment } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`Not a TCP port: ${port}`);
  }
  const header = `# ${comment}`;
  if (format === 'nftables') {
    const sets = [
      ...(v4.length
        ? [
            `  set esp_webhook_sources_v4 {`,
            `    type ipv4_addr`,
            `    flags interval`,
            `    elements = { ${v4.join(', ')} }`,
            `  }`,
          ]
        : []),
      ...(v6.length
        ? [
            `  set esp_webhook_sources_v6 {`,
            `    type ipv6_addr`,
            `    flags interval`,
            `    elements = { ${v6.join(', ')} }`,
            `  }`,
          ]
        : []),
    ];
    return [
      header,
      `table inet esp_webhooks {`,
      ...sets,
      `  chain input {`,
      `    type filter hook input priority 0; policy accept;`,
      ...(v4.length
        ? [`    ip saddr @esp_webhook_sources_v4 tcp dport ${port} accept`]
        : []),
      ...(v6.length
        ? [`    ip6 saddr @esp_webhook_sources_v6 tcp dport ${port} accept`]
        : []),
      `    tcp dport ${port} drop`,
      `  }`,
      `}`,
      '',
    ].join('\n');
  }
  if (format === 'iptables') {
    // iptables-restore input for the filter table: IPv4 only (ip6tables takes the IPv6 ranges).
    return [
      header,
      `*filter`,
      `:ESP_WEBHOOKS - [0:0]`,
      `-A INPUT -p tcp --dport ${port} -j ESP_WEBHOOKS`,
      ...v4.map(r => `-A ESP_WEBHOOKS -s ${r} -j ACCEPT`),
      `-A ESP_WEBHOOKS -j DROP`,
      `COMMIT`,
      ...(v6.length
        ? [`# IPv6 (ip6tables): ${v6.map(r => `-s ${r}`).join(', ')}`]
        : []),
      '',
    ].join('\n');
  }
  // ufw reads rules in order: the allows first, then the deny.
  return [
    header,
    ...[...v4, ...v6].map(
      r => `ufw allow proto tcp from ${r} to any port ${port}`,
    ),
    `ufw deny proto tcp from any to any port ${port}`,
    '',
  ].join('\n');
}
