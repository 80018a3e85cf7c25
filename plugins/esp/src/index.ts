/**
 * ESP Hub admin pages for the new frontend system.
 *
 * @packageDocumentation
 */
export { espPlugin as default } from './plugin';
