import type { DeliveryFigures, MessageStore } from '../database/MessageStore';

/** The overview's window: "delivery rate" over the last 30 days. */
export const DELIVERY_RATE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
// The overview is read on every page load; the figure moves slowly.
const FRESH_FOR_MS = 30_000;

/**
 * Delivered ÷ sent (accepted by the provider) over the window, from the
 * message statuses the providers' events set; null when nothing was sent,
 * or when no event arrived for any of it (webhooks not set up): a rate of
 * 0% would then be a claim, not a measurement.
 */
export function deliveryRateOf(
  figures: DeliveryFigures[string] | undefined,
): number | null {
  if (!figures || figures.accepted === 0 || figures.withEvents === 0) {
    return null;
  }
  return figures.delivered / figures.accepted;
}

/**
 * The delivery rate per provider, read from the database (shared by every
 * replica) and kept by this replica for 30 seconds.
 */
export class DeliveryRates {
  private cached: { at: number; rates: Record<string, number | null> } | null =
    null;

  constructor(
    private readonly store: Pick<MessageStore, 'deliveryFigures'>,
    private readonly freshForMs = FRESH_FOR_MS,
  ) {}

  async current(now: Date): Promise<Record<string, number | null>> {
    if (this.cached && now.getTime() - this.cached.at < this.freshForMs) {
      return this.cached.rates;
    }
    const figures = await this.store.deliveryFigures(
      new Date(now.getTime() - DELIVERY_RATE_WINDOW_MS),
    );
    const rates = Object.fromEntries(
      Object.entries(figures).map(([provider, f]) => [
        provider,
        deliveryRateOf(f),
      ]),
    );
    this.cached = { at: now.getTime(), rates };
    return rates;
  }
}
