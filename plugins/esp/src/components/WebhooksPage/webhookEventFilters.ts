import type {
  WebhookEventQuery,
  WebhookEventType,
  WebhookProviderId,
} from '@internal/plugin-esp-common';

export const EVENTS_PAGE_SIZE = 50;

/** The Recent Events filters as the form holds them. */
export type EventFilters = {
  provider: WebhookProviderId | '';
  type: WebhookEventType | '';
  /** `datetime-local` values (the user's local time); '' for open-ended. */
  from: string;
  to: string;
  /** An email address or a message id, as typed (sent once typing pauses). */
  q: string;
};

export const NO_EVENT_FILTERS: EventFilters = {
  provider: '',
  type: '',
  from: '',
  to: '',
  q: '',
};

const isoOf = (local: string) => {
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
};

/** The server-side query of the filters (the list, the CSV export and "Replay filtered" share it). */
export function eventQueryOf(filters: EventFilters): WebhookEventQuery {
  const from = filters.from ? isoOf(filters.from) : undefined;
  const to = filters.to ? isoOf(filters.to) : undefined;
  const q = filters.q.trim();
  return {
    ...(filters.provider ? { provider: filters.provider } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(q ? { q } : {}),
  };
}

export const isFiltered = (filters: EventFilters) =>
  Object.keys(eventQueryOf(filters)).length > 0;
