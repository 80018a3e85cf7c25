import { NotFoundErrorPage, useRouteRef } from '@backstage/frontend-plugin-api';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { ESP_SECTIONS, rootRouteRef } from '../../routes';

/**
 * The plugin page with "not found" below its tabs when the path names no tab
 * (`…/esp/sendgrid`): the page's own routes would otherwise show nothing.
 */
export const UnknownSectionNotFound = (props: { children: ReactNode }) => {
  const base = useRouteRef(rootRouteRef)?.() ?? '';
  const { pathname } = useLocation();
  const below = pathname.startsWith(base) ? pathname.slice(base.length) : '';
  const section = below.split('/').filter(Boolean)[0];
  const known =
    section === undefined || ESP_SECTIONS.some(s => s.path === section);
  return (
    <>
      {props.children}
      {!known && <NotFoundErrorPage />}
    </>
  );
};
