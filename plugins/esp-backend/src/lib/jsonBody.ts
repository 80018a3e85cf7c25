import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';

/** The 413 body-parser raises, with a sentence a user can act on. */
class RequestTooLargeError extends Error {
  readonly statusCode = 413;
  constructor(limit: string) {
    super(`The request body is larger than the ${limit} this route accepts`);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * `express.json` whose failures read well and repeat nothing of the request:
 * body-parser's own errors carry the raw body, which may hold an API key that
 * a client mistyped into broken JSON, and Backstage's error handler would send
 * it back and log it.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    // express.json skips other types silently, which would turn a form post
    // into a list of "missing field" errors; say what is wrong instead.
    if (req.is('*/*') && !req.is('application/json')) {
      return next(
        new InputError(
          'Send the request body as JSON (Content-Type: application/json)',
        ),
      );
    }
    return parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return next(new RequestTooLargeError(limit));
      }
      if (type === 'entity.parse.failed') {
        return next(
          new InputError('The request body is not valid JSON: send an object'),
        );
      }
      return next(error);
    });
  };
}
