/*
 * The ESP Hub portal backend: only the plugins the portal needs.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider (development only) signs in as the user named in
// auth.providers.guest.userEntityRef, resolved against the catalog.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// One Resource entity per email service provider, read from ESP Hub.
backend.add(import('@internal/plugin-catalog-backend-module-esp'));

// The events service's bus: ESP Hub's change events reach the catalog on
// every replica, not only on the one that made the change.
backend.add(import('@backstage/plugin-events-backend'));

// Permissions: ESP Hub is admin-only; everything else stays open as before.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/plugin-permission-backend-module-esp-policy'));

// Notifications (the bell, and ESP Hub's alerts to admins when a provider
// goes down or recovers), with signals pushing them to open pages at once.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@internal/plugin-esp-backend'));
// Local Postmark/SMTP stand-ins, started only when esp.sandbox.enabled is true.
backend.add(import('@internal/plugin-esp-backend-module-sandbox'));

backend.start();
