export { EspEntityCard } from './EspEntityCard';
