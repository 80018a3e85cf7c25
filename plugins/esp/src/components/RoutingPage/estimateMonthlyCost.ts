import {
  CONFIGURABLE_PROVIDER_IDS,
  CostConfig,
  routingProviderName,
  RoutingVolumeView,
} from '@internal/plugin-esp-common';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dollars = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** A price as the spec writes it: $0.00125, $0.00058, $0 (no trailing zeros). */
function price(value: number): string {
  return `$${Number(value.toPrecision(12))}`;
}

/**
 * The "Estimated Monthly Cost" block, line by line as the spec draws it:
 *
 *   Current Configuration:
 *   - Postmark: 5,000 emails × $0.00125 = $6.25
 *   …
 *   Total: $61.25/month
 *
 * from each provider's price per email and its volume: what it really sent in
 * the last 30 days once anything was sent (`measured`), else the monthly
 * volume the admin expects (`estimated`). Amounts are rounded to the cent per
 * line and the total adds up the rounded lines, so the block is always
 * consistent with itself.
 */
export function estimateMonthlyCost(
  cost: Pick<CostConfig, 'providers'>,
  volume?: RoutingVolumeView | null,
): {
  lines: string[];
  totalCents: number;
  basis: 'measured' | 'estimated';
} {
  const measured = Boolean(volume && volume.total > 0);
  let totalCents = 0;
  const lines = ['Current Configuration:'];
  for (const id of CONFIGURABLE_PROVIDER_IDS) {
    const provider = cost.providers[id];
    if (!provider) continue;
    const expected = Number.isFinite(provider.estimatedMonthlyVolume)
      ? provider.estimatedMonthlyVolume
      : 0;
    const emails = measured ? volume!.providers[id] ?? 0 : expected;
    const perEmail = Number.isFinite(provider.pricePerEmail)
      ? provider.pricePerEmail
      : 0;
    const cents = Math.round(emails * perEmail * 100);
    totalCents += cents;
    lines.push(
      `- ${routingProviderName(id)}: ${count.format(emails)} emails × ${price(
        perEmail,
      )} = $${dollars.format(cents / 100)}`,
    );
  }
  lines.push(`Total: $${dollars.format(totalCents / 100)}/month`);
  return { lines, totalCents, basis: measured ? 'measured' : 'estimated' };
}
