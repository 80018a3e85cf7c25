export { OverviewPage } from './OverviewPage';
export { OverviewSection } from './OverviewSection';
