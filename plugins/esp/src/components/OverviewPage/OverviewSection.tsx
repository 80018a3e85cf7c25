import { NotFoundErrorPage } from '@backstage/frontend-plugin-api';
import { Route, Routes } from 'react-router-dom';
import { OverviewPage } from './OverviewPage';

/**
 * The overview tab's route also takes the paths below its own: those get
 * "not found" instead of a second copy of the overview.
 */
export const OverviewSection = () => (
  <Routes>
    <Route path="/" element={<OverviewPage />} />
    <Route path="*" element={<NotFoundErrorPage />} />
  </Routes>
);
