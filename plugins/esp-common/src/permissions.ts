import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read provider configuration, status and domains.
 * @public
 */
export const espProviderReadPermission = createPermission({
  name: 'esp.provider.read',
  attributes: { action: 'read' },
});

/**
 * Change provider configuration: credentials, domains, tracking, enable/disable.
 * Also covers actions that spend provider quota on the admin's behalf (test emails).
 * @public
 */
export const espProviderUpdatePermission = createPermission({
  name: 'esp.provider.update',
  attributes: { action: 'update' },
});

/** @public */
export const espRoutingReadPermission = createPermission({
  name: 'esp.routing.read',
  attributes: { action: 'read' },
});

/** @public */
export const espRoutingUpdatePermission = createPermission({
  name: 'esp.routing.update',
  attributes: { action: 'update' },
});

/** @public */
export const espWebhookReadPermission = createPermission({
  name: 'esp.webhook.read',
  attributes: { action: 'read' },
});

/**
 * Change webhook settings (event subscriptions, registration at the
 * provider), send test events and replay stored ones. Admins only.
 * @public
 */
export const espWebhookManagePermission = createPermission({
  name: 'esp.webhook.manage',
  attributes: { action: 'update' },
});

/** @public */
export const espAnalyticsReadPermission = createPermission({
  name: 'esp.analytics.read',
  attributes: { action: 'read' },
});

/**
 * Send email through ESP Hub: the one permission meant for services (other
 * backend plugins calling the send API), not only for admins. Declared ahead of
 * the send API that will check it; the configuration routes never accept it.
 * @public
 */
export const espMessageSendPermission = createPermission({
  name: 'esp.message.send',
  attributes: { action: 'create' },
});

/**
 * Read a message's status, attempts and routing trace (`GET /messages/:id`).
 * Services may hold it too, to follow what they sent.
 * @public
 */
export const espMessageReadPermission = createPermission({
  name: 'esp.message.read',
  attributes: { action: 'read' },
});

/**
 * Act on a message by hand: resend one whose outcome is unknown, or mark it
 * sent after checking with the provider (audited). Admins only (the routes
 * refuse services).
 * @public
 */
export const espMessageManagePermission = createPermission({
  name: 'esp.message.manage',
  attributes: { action: 'update' },
});

/**
 * List, add and remove entries of the suppression list by hand: admins only
 * (the routes refuse services).
 * @public
 */
export const espSuppressionManagePermission = createPermission({
  name: 'esp.suppression.manage',
  attributes: { action: 'update' },
});

/**
 * Read the status summary of the providers (`GET /status`): what the catalog's
 * entities and the entity card show, and nothing an admin alone may see. Meant
 * for everyone who browses the catalog; the policy decides who that is.
 * @public
 */
export const espStatusReadPermission = createPermission({
  name: 'esp.status.read',
  attributes: { action: 'read' },
});

/**
 * Umbrella permission for the ESP settings pages: who may see the admin UI at all.
 * @public
 */
export const espAdministerPermission = createPermission({
  name: 'esp.administer',
  attributes: {},
});

/**
 * Every ESP Hub permission, for registration and for policies.
 * @public
 */
export const espPermissions = [
  espAdministerPermission,
  espProviderReadPermission,
  espProviderUpdatePermission,
  espRoutingReadPermission,
  espRoutingUpdatePermission,
  espWebhookReadPermission,
  espWebhookManagePermission,
  espAnalyticsReadPermission,
  espMessageSendPermission,
  espMessageReadPermission,
  espMessageManagePermission,
  espSuppressionManagePermission,
  espStatusReadPermission,
];

/**
 * True for any permission that belongs to ESP Hub.
 * @public
 */
export function isEspPermissionName(name: string): boolean {
  return name.startsWith('esp.');
}
