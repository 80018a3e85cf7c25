/**
 * Isomorphic parts of ESP Hub: permissions, provider DTOs and the input schemas
 * that both the pages and the backend validate with. What all providers share
 * is in providers/common; each provider's view, defaults and input schema is in
 * its own file.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './providers/common';
export * from './providers/postmark';
export * from './providers/mailgun';
export * from './providers/smtp';
export * from './validationMessages';
export * from './routing';
export * from './catalog';
export * from './messages';
export * from './webhooks';
export * from './analytics';
