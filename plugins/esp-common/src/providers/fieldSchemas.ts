import { z } from 'zod';

/*
 * Pieces the providers' input schemas are built from. Internal to esp-common:
 * the public schemas are in the provider files.
 */

/** A whole number in a range, the message naming the field. */
export const intIn = (name: string, min: number, max: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(min, { error: `${name} must be between ${min} and ${max}` })
    .max(max, { error: `${name} must be between ${min} and ${max}` });

export const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    {
      error: 'Enter a domain name such as mail.yourdomain.com',
    },
  );

/** A credential: printable ASCII without spaces, trimmed. */
export const token = (name: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name} must not be empty` })
    .max(200, { error: `${name} is too long` })
    .regex(/^[\x21-\x7e]+$/, { error: `${name} contains invalid characters` });
