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
    /**
     * Each provider's circuit breaker. Timeouts, refused connections and 5xx
     * answers count as failures; any other answer (a 429, bad credentials, a
     * rejected message) shows the provider is up and counts as a success.
     * The breaker opens on `consecutiveFailures` in a row, or when at least
     * `failureRate` of at least `minimumRequests` requests in the last
     * `windowSeconds` failed; routing then skips the provider. After
     * `coolDownSeconds` one message goes through as the probe: success
     * closes the breaker, failure opens it for another cool-down. The state
     * is shared by every replica (in the database); each reads it at most
     * once a second. The admins (`esp.admins`) get a notification when a
     * breaker opens and when it closes.
     */
    health?: {
      breaker?: {
        /** Defaults to 5. */
        consecutiveFailures?: number;
        /** 0–1; defaults to 0.5. */
        failureRate?: number;
        /** Defaults to 20. */
        minimumRequests?: number;
        /** The sliding window; defaults to 60. */
        windowSeconds?: number;
        /** Defaults to 30. */
        coolDownSeconds?: number;
        /** A probe with no outcome after this long is given to another message; defaults to 60. */
        probeTimeoutSeconds?: number;
      };
    };
    /** How the providers' webhooks reach ESP Hub. */
    webhooks?: {
      /**
       * The address the providers post webhooks to, when it is not
       * `backend.baseUrl` (a public hostname or a tunnel in front of the
       * backend). The receivers are at `<publicBaseUrl>/api/esp/webhooks/<provider>`.
       */
      publicBaseUrl?: string;
      postmark?: {
        /**
         * Postmark does not sign webhooks; besides the Basic credentials (and
         * the secret header), the receiver can refuse posts from addresses
         * outside Postmark's published webhook source IPs. They can change:
         * keep `ranges` up to date from Postmark's documentation. The address
         * checked is Express's `req.ip`: behind a load balancer or proxy, set
         * the backend's `trust proxy` to that hop, or every post appears to
         * come from the proxy (and a client could spoof `X-Forwarded-For` if
         * trust is too broad).
         */
        ipAllowlist?: {
          /** Refuse (401) posts from outside `ranges`. Defaults to false. */
          enforce?: boolean;
          /**
           * CIDR ranges Postmark's webhooks come from; the firewall rules
           * allow these. Defaults to the addresses Postmark publishes
           * (3.134.147.250, 50.31.156.6, 50.31.156.77, 18.217.206.57).
           */
          ranges?: string[];
        };
      };
    };
    messages?: {
      /**
       * Days the message log keeps a sent, failed, suppressed or unknown
       * message (with its attempts); a daily task deletes older ones.
       * Queued and sending messages are kept. Defaults to 30. The usage
       * counters (free quota, budget, the overview) are kept apart and stay.
       */
      retentionDays?: number;
    };
    analytics?: {
      rollup?: {
        /**
         * How often the rollup task (on one replica) adds new sends and
         * delivery events to the analytics figures: a Backstage duration,
         * e.g. `{ minutes: 1 }`, `'30s'` or `'PT1M'`. Defaults to one minute.
         */
        frequency?:
          | string
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
              days?: number;
            };
      };
      cache?: {
        /**
         * How long an analytics answer is cached: a Backstage duration, e.g.
         * `{ minutes: 15 }` or `'15m'`. Defaults to 15 minutes.
         */
        ttl?:
          | string
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
              days?: number;
            };
      };
    };
  };
}
