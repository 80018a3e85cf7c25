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
      smtp?: {
        /** Default 7125. */
        port?: number;
      };
    };
  };
}
