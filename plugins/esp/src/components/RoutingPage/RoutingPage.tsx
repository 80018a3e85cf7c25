import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espRoutingReadPermission,
  espRoutingUpdatePermission,
  describeRule,
  RoutingConfigView,
  RoutingWarning,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useState } from 'react';
import { espApiRef } from '../../api';
import { useProviders } from '../../hooks/useProviders';
import { useReloadable } from '../../hooks/useReloadable';
import { useUnsavedChangesGuard } from '../../hooks/useUnsavedChangesGuard';
import { errorMessage, errorStatus } from '../../lib/errorMessage';
import { useSectionPaths } from '../../routes';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { SaveBar, SaveState } from '../ProviderForm/SaveBar';
import { CostOptimization } from './CostOptimization';
import { EmailTypeDefinitions } from './EmailTypeDefinitions';
import { FailoverConfiguration } from './FailoverConfiguration';
import { ProviderOptionsProvider } from './providerOptions';
import { RoutingRulesBuilder } from './RoutingRulesBuilder';
import { RoutingStrategyOverview } from './RoutingStrategyOverview';
import {
  draftFromView,
  FieldErrors,
  hasChanges,
  inputFromDraft,
  newRuleKey,
  RoutingDraft,
  ruleNamedIn,
  validateDraft,
} from './routingForm';
import { TestMessageCard } from './TestMessageCard';
import { VersionHistory } from './VersionHistory';

/** Where a backend message that names a field (not a rule) is shown. */
const FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/Retry Attempts/i, 'failover.retryAttempts'],
  [/Retry Delay/i, 'failover.retryDelaySeconds'],
  [/failover (order|chain)|chain/i, 'failover.chain'],
  [/time zone/i, 'cost.timeRouting.timeZone'],
];

/** A save's warning with the rules it is about named, as the page's own warnings do. */
function warningText(warning: RoutingWarning, view: RoutingConfigView) {
  const names = warning.ruleIds
    .map(id => view.rules.find(r => r.id === id))
    .filter((r): r is RoutingConfigView['rules'][number] => Boolean(r))
    .map(describeRule);
  return names.length
    ? `${names.join(', ')}: ${warning.message}`
    : warning.message;
}

/** The page's edits of one loaded configuration; a reload starts it afresh. */
const RoutingEditor = (props: {
  initial: RoutingConfigView;
  readOnly: boolean;
  onReload: () => void;
}) => {
  const api = useApi(espApiRef);
  const paths = useSectionPaths();
  const { readOnly } = props;
  const [saved, setSaved] = useState(props.initial);
  const [draft, setDraft] = useState(() => draftFromView(props.initial));
  const [triedSave, setTriedSave] = useState(false);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const [serverErrors, setServerErrors] = useState<{
    rules: Record<string, string>;
    fields: FieldErrors;
    top?: string;
  }>({ rules: {}, fields: {} });
  const [staleMessage, setStaleMessage] = useState<string>();

  // Only to mark providers that cannot send; the page works without it.
  const providers = useProviders();
  const dirty = !readOnly && hasChanges(draft, saved);
  useUnsavedChangesGuard(dirty, paths.routing);

  const checks = validateDraft(draft);
  // A rule's empty fields are pointed out once Save was tried (a new rule
  // starts empty); a number out of range is pointed out as it is typed.
  const shownErrors: FieldErrors = {
    ...serverErrors.fields,
    ...Object.fromEntries(
      Object.entries(checks).filter(
        ([key]) => triedSave || !key.startsWith('rule:'),
      ),
    ),
  };

  const edit = (change: (d: RoutingDraft) => RoutingDraft) => {
    setDraft(change);
    setSave({ status: 'idle' });
    setServerErrors({ rules: {}, fields: {} });
  };

  const onSave = async () => {
    setTriedSave(true);
    if (Object.keys(checks).length > 0) {
      setSave({
        status: 'invalid',
        message: 'Not saved: correct the fields marked in red first.',
      });
      return;
    }
    setSave({ status: 'saving' });
    try {
      const view = await api.saveRouting(inputFromDraft(draft), saved.version);
      setSaved(view);
      setDraft(draftFromView(view));
      setTriedSave(false);
      setStaleMessage(undefined);
      setSave({
        status: 'saved',
        message: `Routing saved as version ${view.version}.`,
        warnings: view.warnings.map(w => warningText(w, view)),
      });
    } catch (e) {
      const message = errorMessage(e);
      const status = errorStatus(e);
      if (status === 409) {
        setStaleMessage(message);
        setSave({
          status: 'failed',
          message: 'Not saved: the routing was changed elsewhere.',
        });
        return;
      }
      setSave({ status: 'failed', message });
      if (status !== 400) return;
      const priority = ruleNamedIn(message);
      const rule = draft.rules.find(r => r.priority === priority);
      const field = FIELD_MESSAGES.find(([pattern]) => pattern.test(message));
      if (rule) {
        setServerErrors({ rules: { [rule.key]: message }, fields: {} });
      } else if (field) {
        setServerErrors({ rules: {}, fields: { [field[1]]: message } });
      } else {
        setServerErrors({ rules: {}, fields: {}, top: message });
      }
    }
  };

  return (
    <ProviderOptionsProvider providers={providers.value}>
      <Grid container spacing={3}>
        {(readOnly || staleMessage || serverErrors.top) && (
          <Grid item xs={12}>
            {readOnly && (
              <WarningPanel
                severity="info"
                title="You can view the routing, not change it"
                message="Changing routing rules needs the esp.routing.update permission."
              />
            )}
            {staleMessage && (
              <Box
                role="alert"
                display="flex"
                alignItems="center"
                style={{ gap: 12 }}
              >
                <Typography color="error">
                  The routing was changed elsewhere while you edited it:{' '}
                  {staleMessage}. Reload to see the new version (your edits here
                  are discarded).
                </Typography>
                <Button variant="outlined" onClick={props.onReload}>
                  Reload
                </Button>
              </Box>
            )}
            {serverErrors.top && (
              <Typography color="error" role="alert">
                {serverErrors.top}
              </Typography>
            )}
          </Grid>
        )}
        <Grid item xs={12}>
          <RoutingStrategyOverview saved={saved} />
        </Grid>
        <Grid item xs={12}>
          <RoutingRulesBuilder
            rules={draft.rules}
            onRulesChange={rules => edit(d => ({ ...d, rules }))}
            defaultProvider={draft.defaultProvider}
            onDefaultProviderChange={defaultProvider =>
              edit(d => ({ ...d, defaultProvider }))
            }
            errors={shownErrors}
            serverErrors={serverErrors.rules}
            readOnly={readOnly}
          />
        </Grid>
        <Grid item xs={12}>
          <EmailTypeDefinitions />
        </Grid>
        <Grid item xs={12}>
          <FailoverConfiguration
            failover={draft.failover}
            onFailoverChange={patch =>
              edit(d => ({ ...d, failover: { ...d.failover, ...patch } }))
            }
            errorActions={draft.errorActions}
            onErrorActionsChange={errorActions =>
              edit(d => ({ ...d, errorActions }))
            }
            errors={shownErrors}
            readOnly={readOnly}
          />
        </Grid>
        <Grid item xs={12}>
          <CostOptimization
            cost={draft.cost}
            onChange={cost => edit(d => ({ ...d, cost }))}
            errors={shownErrors}
            readOnly={readOnly}
          />
        </Grid>
        <Grid item xs={12}>
          <TestMessageCard config={() => inputFromDraft(draft)} />
        </Grid>
        <Grid item xs={12}>
          <VersionHistory
            currentVersion={saved.version}
            dirty={dirty}
            readOnly={readOnly}
            onRolledBack={props.onReload}
          />
        </Grid>
        {!readOnly && (
          <Grid item xs={12}>
            <Box
              display="flex"
              justifyContent="flex-end"
              alignItems="center"
              style={{ gap: 16 }}
            >
              {dirty && (
                <Chip
                  label="Unsaved changes"
                  color="secondary"
                  variant="outlined"
                  role="status"
                />
              )}
              <SaveBar state={save} onSave={onSave} />
            </Box>
          </Grid>
        )}
      </Grid>
    </ProviderOptionsProvider>
  );
};

const RoutingLoader = (props: { readOnly: boolean }) => {
  const api = useApi(espApiRef);
  const load = useCallback(() => api.getRouting(), [api]);
  const { value, loading, error, retry } = useReloadable(load, [load]);
  // Each answer starts the editor afresh (a reload after a conflict or a
  // rollback), even one with the same version number.
  const editorKey = useMemo(() => (value ? newRuleKey() : ''), [value]);
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <ErrorWithRetry
        error={error}
        title="Could not load the routing"
        onRetry={retry}
      />
    );
  }
  return (
    <RoutingEditor
      key={editorKey}
      initial={value!}
      readOnly={props.readOnly}
      onReload={retry}
    />
  );
};

/**
 * `/dashboard/settings/integrations/esp/routing`: which provider sends each
 * kind of email, failover, cost rules, a dry run and the saved versions.
 * Reading needs esp.routing.read; without esp.routing.update it is read-only.
 */
export const RoutingPage = () => {
  const read = usePermission({ permission: espRoutingReadPermission });
  const update = usePermission({ permission: espRoutingUpdatePermission });
  if (read.loading || update.loading) return <Progress />;
  if (!read.allowed) {
    return (
      <WarningPanel
        severity="info"
        title="You cannot see the routing"
        message="Viewing routing rules needs the esp.routing.read permission."
        defaultExpanded
      />
    );
  }
  return <RoutingLoader readOnly={!update.allowed} />;
};
