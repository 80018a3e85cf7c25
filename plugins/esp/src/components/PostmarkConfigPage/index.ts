export { PostmarkConfigPage } from './PostmarkConfigPage';
