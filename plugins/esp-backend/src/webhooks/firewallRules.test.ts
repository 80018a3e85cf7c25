import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firewallRules } from './firewallRules';
import { POSTMARK_WEBHOOK_IPS } from './webhookSettingsConfig';

const options = {
  ranges: [...POSTMARK_WEBHOOK_IPS, '2001:db8::/32'],
  port: 7007,
  comment: 'ESP Hub: Postmark webhooks only',
};

/** A binary's path when it is installed here; the syntax checks run only then. */
function installed(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`])
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

describe('firewallRules', () => {
  it('nftables: one table with the sources as interval sets, accepted before the port is dropped', () => {
    const rules = firewallRules('nftables', options);
    const lines = rules.split('\n').map(l => l.trim());
    expect(lines[0]).toBe('# ESP Hub: Postmark webhooks only');
    expect(lines).toContain(
      'elements = { 3.134.147.250/32, 50.31.156.6/32, 50.31.156.77/32, 18.217.206.57/32 }',
    );
    expect(lines).toContain('elements = { 2001:db8::/32 }');
    const accept4 = lines.indexOf(
      'ip saddr @esp_webhook_sources_v4 tcp dport 7007 accept',
    );
    const accept6 = lines.indexOf(
      'ip6 saddr @esp_webhook_sources_v6 tcp dport 7007 accept',
    );
    const drop = lines.indexOf('tcp dport 7007 drop');
    expect(accept4).toBeGreaterThan(0);
    expect(accept6).toBeGreaterThan(accept4);
    expect(drop).toBeGreaterThan(accept6);
    // Braces balance: the file is one table.
    expect(rules.split('{').length).toBe(rules.split('}').length);
    const nft = installed('nft');
    if (nft) {
      const file = join(mkdtempSync(join(tmpdir(), 'nft-')), 'rules.nft');
      writeFileSync(file, rules);
      execFileSync(nft, ['--check', '-f', file]);
    }
  });

  it('iptables: iptables-restore input with a chain that accepts the IPv4 sources and drops the rest', () => {
    const rules = firewallRules('iptables', options);
    const lines = rules.split('\n').filter(l => l && !l.startsWith('#'));
    expect(lines).toEqual([
      '*filter',
      ':ESP_WEBHOOKS - [0:0]',
      '-A INPUT -p tcp --dport 7007 -j ESP_WEBHOOKS',
      '-A ESP_WEBHOOKS -s 3.134.147.250/32 -j ACCEPT',
      '-A ESP_WEBHOOKS -s 50.31.156.6/32 -j ACCEPT',
      '-A ESP_WEBHOOKS -s 50.31.156.77/32 -j ACCEPT',
      '-A ESP_WEBHOOKS -s 18.217.206.57/32 -j ACCEPT',
      '-A ESP_WEBHOOKS -j DROP',
      'COMMIT',
    ]);
    const restore = installed('iptables-restore');
    if (restore) {
      execFileSync(restore, ['--test', '--noflush'], { input: rules });
    }
  });

  it('ufw: the allows in order, then the deny', () => {
    const lines = firewallRules('ufw', options)
      .split('\n')
      .filter(l => l && !l.startsWith('#'));
    expect(lines[0]).toBe(
      'ufw allow proto tcp from 3.134.147.250/32 to any port 7007',
    );
    expect(lines).toContain(
      'ufw allow proto tcp from 2001:db8::/32 to any port 7007',
    );
    expect(lines[lines.length - 1]).toBe(
      'ufw deny proto tcp from any to any port 7007',
    );
    for (const line of lines) {
      expect(line).toMatch(
        /^ufw (allow|deny) proto tcp from \S+ to any port \d+$/,
      );
    }
  });

  it('refuses a malformed range or port with a 400', () => {
    expect(() =>
      firewallRules('ufw', { ...options, ranges: ['3.134.147.250/33'] }),
    ).toThrow(/Not an IP range/);
    expect(() =>
      firewallRules('ufw', { ...options, ranges: ['example.com'] }),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
    expect(() => firewallRules('nftables', { ...options, port: 0 })).toThrow(
      /Not a TCP port/,
    );
  });
});
