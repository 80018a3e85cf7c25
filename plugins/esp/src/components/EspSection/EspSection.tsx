import { Content } from '@backstage/core-components';
import type { ReactNode } from 'react';
import { AdminOnly } from '../AdminOnly';

/** The frame of every ESP settings tab: page padding and the admin-only guard. */
export const EspSection = ({ children }: { children: ReactNode }) => (
  <Content>
    <AdminOnly>{children}</AdminOnly>
  </Content>
);
