export { espApiRef } from './EspApi';
export type { EspApi } from './EspApi';
export { EspClient } from './EspClient';
