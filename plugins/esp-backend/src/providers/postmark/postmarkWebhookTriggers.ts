import type * as postmark from 'postmark';

/**
 * The Triggers of a Postmark webhook for the subscribed trigger names
 * (WEBHOOK_SUBSCRIPTIONS.postmark ids): every trigger is sent, so one not
 * subscribed is turned off. Opens post every open (the message log counts
 * them); bounce and complaint content stays out (ESP Hub keeps no bodies).
 */
export function postmarkTriggers(
  subscriptions: readonly string[],
): postmark.Models.WebhookRequestTriggers {
  const on = (name: string) => subscriptions.includes(name);
  return {
    Open: { Enabled: on('Open'), PostFirstOpenOnly: false },
    Click: { Enabled: on('Click') },
    Delivery: { Enabled: on('Delivery') },
    Bounce: { Enabled: on('Bounce'), IncludeContent: false },
    SpamComplaint: { Enabled: on('SpamComplaint'), IncludeContent: false },
    SubscriptionChange: { Enabled: on('SubscriptionChange') },
  };
}
