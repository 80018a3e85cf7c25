export { BounceReasonsChart } from './BounceReasonsChart';
export { DeliveryRateChart } from './DeliveryRateChart';
export { EmailTypeChart } from './EmailTypeChart';
export { EngagementChart } from './EngagementChart';
export { RoutingDecisionsChart } from './RoutingDecisionsChart';
export { SentVolumeChart } from './SentVolumeChart';
export { TimeToOpenChart } from './TimeToOpenChart';
