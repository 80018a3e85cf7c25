import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  ProviderSummary,
  routingProviderName,
} from '@internal/plugin-esp-common';
import { createContext, ReactNode, useContext, useMemo } from 'react';

type ProviderOption = { value: ConfigurableProviderId; label: string };

const PLAIN_OPTIONS: ProviderOption[] = CONFIGURABLE_PROVIDER_IDS.map(id => ({
  value: id,
  label: routingProviderName(id),
}));

const ProviderOptionsContext = createContext<ProviderOption[]>(PLAIN_OPTIONS);

/**
 * The providers a rule, window or fallback can name. Where the provider list
 * is known, one that cannot send says so ("Mailgun (not configured)"): the
 * backend refuses to save a rule routed to it.
 */
export const ProviderOptionsProvider = (props: {
  providers: ProviderSummary[] | undefined;
  children: ReactNode;
}) => {
  const { providers } = props;
  const options = useMemo(
    () =>
      PLAIN_OPTIONS.map(option => {
        const summary = providers?.find(p => p.providerId === option.value);
        if (!summary || summary.configured) return option;
        return { ...option, label: `${option.label} (not configured)` };
      }),
    [providers],
  );
  return (
    <ProviderOptionsContext.Provider value={options}>
      {props.children}
    </ProviderOptionsContext.Provider>
  );
};

export const useProviderOptions = () => useContext(ProviderOptionsContext);
