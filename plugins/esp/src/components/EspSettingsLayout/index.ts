export { EspSettingsLayout } from './EspSettingsLayout';
