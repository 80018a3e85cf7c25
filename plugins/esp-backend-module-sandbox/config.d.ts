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
      };
      mailgun?: {
        /** Default 7102. */
        port?: number;
        /** @visibility secret */
        apiKey?: string;
        /** Verified sending domains the stand-in starts with. Default `mg.sandbox.example`. */
        domains?: string[];
      };
      smtp?: {
        /** Default 7125. */
        port?: number;
      };
    };
  };
}
