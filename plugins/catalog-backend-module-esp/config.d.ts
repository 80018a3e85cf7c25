import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The ESP Hub entity provider: one `Resource` entity per email service
       * provider ESP Hub knows. All optional.
       */
      esp?: {
        /**
         * The owner of the entities (`spec.owner`), an entity ref.
         * Default: `group:default/esp-admins`.
         */
        owner?: string;
        /** `spec.lifecycle` of the entities. Default: `production`. */
        lifecycle?: string;
        /**
         * How often the entities are read again from ESP Hub. A change in ESP
         * Hub is also read at once through the events service.
         * Default: every 10 minutes, with a 2-minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
