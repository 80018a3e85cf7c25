export interface Config {
  esp?: {
    /** Encryption of provider credentials stored in the database. */
    secrets?: {
      /**
       * AES-256 keys. The first one encrypts; every listed key decrypts, so a
       * rotation puts the new key first and keeps the old ones until every
       * backend restarted (each re-encrypts older secrets at startup).
       * Required in production.
       */
      keys?: Array<{
        /** Short name stored next to each ciphertext (letters, digits, `_ . -`). */
        id: string;
        /**
         * Base64 of exactly 32 random bytes, e.g. `openssl rand -base64 32`.
         * @visibility secret
         */
        key: string;
      }>;
      /**
       * Development only, used when no keys are configured: where the generated
       * key is kept so stored secrets survive restarts. Relative to the backend's
       * working directory. Defaults to `.esp-dev-secret-key`.
       */
      developmentKeyFile?: string;
    };
    /** The job queue that runs work later (list validation today). */
    queue?: {
      /**
       * How often each worker looks for due jobs that another backend replica
       * enqueued (a job enqueued on the same backend starts at once). Defaults
       * to one second, e.g. `{ seconds: 2 }` or `{ milliseconds: 500 }`.
       */
      pollInterval?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
      };
    };
    /** Where ESP Hub reaches each provider's API (proxies, sandboxes, tests). */
    providers?: {
      postmark?: {
        /** Defaults to `https://api.postmarkapp.com`. */
        baseUrl?: string;
      };
      mailgun?: {
        /** Defaults to `https://api.mailgun.net` (the US region). */
        baseUrl?: string;
        /** Used for accounts in the EU region. Defaults to `https://api.eu.mailgun.net`. */
        euBaseUrl?: string;
      };
      smtp?: {
        /**
         * The relay the Built-in SMTP page is prefilled with until an admin saves
         * one: a suggestion only, checked live on save like any other input.
         * Credentials are entered on the page (they are stored encrypted).
         */
        preset?: {
          host: string;
          /** Defaults to 587. */
          port?: number;
          /** Defaults to `starttls`. */
          tls?: 'none' | 'starttls' | 'tls';
          defaultSender?: string;
        };
      };
    };
  };
}
