import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import espPlugin from '@internal/plugin-esp';
import { navModule } from './modules/nav';

export default createApp({
  // Notifications: the admins' provider alerts; signals deliver them live.
  features: [
    catalogPlugin,
    espPlugin,
    notificationsPlugin,
    signalsPlugin,
    navModule,
  ],
});
