/** Pieces every provider configuration page is built from. */
export { AddDomainDialog } from './AddDomainDialog';
export { DnsRecordsTable } from './DnsRecordsTable';
export { DomainTable } from './DomainTable';
export type { DomainCheckColumn } from './DomainTable';
export { SaveBar } from './SaveBar';
export type { SaveState } from './SaveBar';
export { SecretField } from './SecretField';
export { TestEmailCard } from './TestEmailCard';
export { ConfigLoader } from './ConfigLoader';
export { ConfigPageFrame } from './ConfigPageFrame';
export { RemoveStoredSecret } from './RemoveStoredSecret';
export { TrackingCheckboxes } from './TrackingCheckboxes';
export type { TrackingOption } from './TrackingCheckboxes';
export { AdvancedSettingsAccordion } from './AdvancedSettingsAccordion';
