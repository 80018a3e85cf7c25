export { RoutingPage } from './RoutingPage';
