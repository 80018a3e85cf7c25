export interface Config {
  esp?: {
    /** Local stand-ins for the providers. Development only: never enable in production. */
    sandbox?: {
      enabled?: boolean;
      postmark?: {
        /** Default 7101. */
        port?: number;
        /** @visibility secret */
        serverToken?: string;
        /** @visibility secret */
        accountToken?: string;
        /**
         * The events the stand-in posts to the webhooks registered through
         * its webhooks API, for each accepted message. Rates are 0–1;
         * defaults: bounceRate 0.05, openRate 0.5, clickRate 0.3 (of opens),
         * complaintRate 0.01, unsubscribeRate 0.02; each step 500–5000 ms
         * after the one before; 4 attempts on 5xx, 1 s doubling.
         */
        events?: {
          /** Defaults to true. */
          enabled?: boolean;
          bounceRate?: number;
          openRate?: number;
          clickRate?: number;
          complaintRate?: number;
          unsubscribeRate?: number;
          minDelayMs?: number;
          maxDelayMs?: number;
          /** Repeatable draws. */
          seed?: number;
          maxAttempts?: number;
          retryDelayMs?: number;
        };
      };
      mailgun?: {
        /** Default 7102. */
        port?: number;
        /** @visibility secret */
        apiKey?: string;
        /** Verified sending domains the stand-in starts with. Default `mg.sandbox.example`. */
        domains?: string[];
        /**
         * The events the stand-in posts to the webhooks registered through
         * its webhooks API, for each accepted message. Rates are 0–1;
         * defaults: bounceRate 0.05, openRate 0.5, clickRate 0.3 (of opens),
         * complaintRate 0.01, unsubscribeRate 0.02; each step 500–5000 ms
         * after the one before; 4 attempts on 5xx, 1 s doubling.
         */
        events?: {
          /** Defaults to true. */
          enabled?: boolean;
          bounceRate?: number;
          openRate?: number;
          clickRate?: number;
          complaintRate?: number;
          unsubscribeRate?: number;
          minDelayMs?: number;
          maxDelayMs?: number;
          /** Repeatable draws. */
          seed?: number;
          maxAttempts?: number;
          retryDelayMs?: number;
        };
      };
      smtp?: {
        /** Default 7125. */
        port?: number;
      };
    };
  };
}
