/**
 * ESP Hub backend: provider configuration, webhook receivers, routing and analytics.
 *
 * @packageDocumentation
 */
export { espPlugin as default } from './plugin';
