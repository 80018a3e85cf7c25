export { EspSection } from './EspSection';
