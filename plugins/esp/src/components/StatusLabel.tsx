import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'error' | 'warning' | 'pending' | 'neutral';

const ICONS: Record<Tone, (props: { children?: ReactNode }) => JSX.Element> = {
  ok: StatusOK,
  error: StatusError,
  warning: StatusWarning,
  pending: StatusPending,
  neutral: StatusAborted,
};

/** A coloured status word (green/red/yellow/gray), as the spec's badges ask. */
export const StatusLabel = (props: { tone: Tone; children: ReactNode }) => {
  const Icon = ICONS[props.tone];
  return <Icon>{props.children}</Icon>;
};
