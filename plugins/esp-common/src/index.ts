/**
 * Isomorphic parts of ESP Hub: permissions, provider DTOs and the input schemas
 * that both the pages and the backend validate with.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './providers';
export * from './schemas';
export * from './validationMessages';
