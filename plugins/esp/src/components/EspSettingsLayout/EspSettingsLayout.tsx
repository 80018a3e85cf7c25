import { Content } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Paper from '@material-ui/core/Paper';
import { ReactNode } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
import { ESP_SECTIONS, rootRouteRef } from '../../routes';
import { AdminOnly } from '../AdminOnly';

/**
 * The spec's "Settings Layout with sidebar navigation". The sections are routed
 * here rather than as SubPageBlueprint tabs because a page with sub-pages always
 * redirects its own path to the first tab, and the overview must live at the
 * plugin's own path.
 */
export const EspSettingsLayout = (props: {
  sections: Record<(typeof ESP_SECTIONS)[number]['path'], ReactNode>;
}) => {
  const base = useRouteRef(rootRouteRef)?.() ?? '';
  const { pathname } = useLocation();
  const current = pathname
    .replace(/\/+$/, '')
    .slice(base.length)
    .replace(/^\//, '');

  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={2}>
          <Paper component="nav" aria-label="ESP settings">
            <List dense>
              {ESP_SECTIONS.map(section => (
                <ListItem
                  key={section.path}
                  button
                  component={Link}
                  to={section.path ? `${base}/${section.path}` : base}
                  selected={current === section.path}
                  aria-current={current === section.path ? 'page' : undefined}
                >
                  <ListItemText primary={section.title} />
                </ListItem>
              ))}
            </List>
          </Paper>
        </Grid>
        <Grid item xs={12} md={10}>
          <AdminOnly>
            <Routes>
              {ESP_SECTIONS.map(section => (
                <Route
                  key={section.path}
                  path={section.path || '/'}
                  element={props.sections[section.path]}
                />
              ))}
            </Routes>
          </AdminOnly>
        </Grid>
      </Grid>
    </Content>
  );
};
