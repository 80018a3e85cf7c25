import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import espPlugin from '@internal/plugin-esp';
import { navModule } from './modules/nav';

export default createApp({
  features: [catalogPlugin, espPlugin, navModule],
});
