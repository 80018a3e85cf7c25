/**
 * Puts the email service providers ESP Hub knows into the software catalog.
 *
 * @packageDocumentation
 */
export {};
