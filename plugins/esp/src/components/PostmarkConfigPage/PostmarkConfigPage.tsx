import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { PostmarkConfigView } from '@internal/plugin-esp-common';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { espApiRef } from '../../api';
import { useProviderConfig } from '../../hooks/useProviderConfig';
import { useTokenCheck } from '../../hooks/useTokenCheck';
import { errorMessage } from '../../lib/errorMessage';
import { useSectionPaths } from '../../routes';
import {
  ConfigLoader,
  ConfigPageFrame,
  DomainTable,
  RemoveStoredSecret,
  SecretField,
} from '../ProviderForm';
import { AdvancedSettings } from './AdvancedSettings';
import { DefaultSenderField } from './DefaultSenderField';
import { formFromView, inputFromForm } from './postmarkForm';
import { TrackingOptions } from './TrackingOptions';

const PostmarkConfigForm = (props: {
  view: PostmarkConfigView;
  onReload: () => void;
}) => {
  const api = useApi(espApiRef);
  const paths = useSectionPaths();
  const tokenCheck = useTokenCheck('postmark', result =>
    result.accountName
      ? `Valid token for server ${result.accountName}`
      : result.message,
  );
  const { view, form, update, errors, checkField, saveState, save } =
    useProviderConfig('postmark', props.view, {
      formFromView,
      inputFromForm,
      // Tokens are cleared from the form: the page now shows the stored masks.
      keepAfterSave: f => ({
        ...f,
        serverToken: '',
        accountToken: '',
        removeAccountToken: false,
      }),
      onSaved: () => tokenCheck.reset(),
      savedMessage: 'Postmark configuration saved.',
    });

  const streams = useAsync(
    async () =>
      view.configured ? api.listMessageStreams('postmark') : undefined,
    [api, view.configured, view.updatedAt],
  );

  const serverTokenError = errors.serverToken ?? tokenCheck.error;

  return (
    <ConfigPageFrame
      providerId="postmark"
      providerName="Postmark"
      connection={view.connection}
      updatedAt={view.updatedAt}
      testable={view.serverToken.set}
      configured={view.configured}
      enabled={view.enabled}
      onTested={props.onReload}
      save={saveState}
      onSave={save}
    >
      <Grid item xs={12} md={7}>
        <InfoCard title="API Configuration">
          <SecretField
            id="postmark-server-token"
            label="API Token"
            revealName="token"
            value={form.serverToken}
            onChange={serverToken => update({ serverToken })}
            onBlur={() => tokenCheck.check(form.serverToken)}
            storedMask={view.serverToken.mask}
            required={!view.serverToken.set}
            error={serverTokenError}
            success={tokenCheck.success}
            helperText={
              <>
                Get your Server API Token from Postmark → Servers → API Tokens.{' '}
                <Link
                  to={view.dashboardUrl}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  View Postmark Dashboard
                </Link>
              </>
            }
          />
          <SecretField
            id="postmark-account-token"
            label="Account Token"
            revealName="account token"
            value={form.accountToken}
            onChange={accountToken =>
              update({ accountToken, removeAccountToken: false })
            }
            storedMask={view.accountToken.mask}
            error={errors.accountToken}
            helperText="Optional. Postmark only lets the account token manage domains and sender signatures: needed for the domain table and the sender status."
          />
          {view.accountToken.set && (
            <RemoveStoredSecret
              name="account token"
              checked={form.removeAccountToken}
              onChange={removeAccountToken =>
                update({ removeAccountToken, accountToken: '' })
              }
            />
          )}
          <DefaultSenderField
            value={form.defaultSender}
            onChange={defaultSender => update({ defaultSender })}
            error={errors.defaultSender}
            storedSender={view.defaultSender}
            status={view.defaultSenderStatus}
            detail={view.defaultSenderDetail}
          />
        </InfoCard>
      </Grid>

      <Grid item xs={12} md={5}>
        <InfoCard title="Tracking Options">
          <TrackingOptions
            value={form.tracking}
            onChange={tracking => update({ tracking })}
            webhooksPath={paths.webhooks}
          />
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <DomainTable
          providerId="postmark"
          refreshKey={view.updatedAt}
          // The default sender's status depends on the domains: reload it.
          onChanged={props.onReload}
          checks={[
            { key: 'dkim', label: 'DKIM' },
            { key: 'returnPath', label: 'Return-Path' },
          ]}
        />
      </Grid>

      <Grid item xs={12}>
        <AdvancedSettings
          value={form.advanced}
          onChange={advanced => update({ advanced })}
          streams={streams.value}
          streamsError={
            streams.error
              ? `Could not load the streams: ${errorMessage(streams.error)}`
              : undefined
          }
          configured={view.configured}
          errors={errors}
          onBlurField={checkField}
        />
      </Grid>
    </ConfigPageFrame>
  );
};

/** `/dashboard/settings/integrations/esp/postmark`: everything the spec lists for Postmark. */
export const PostmarkConfigPage = () => (
  <ConfigLoader providerId="postmark" providerName="Postmark">
    {(view, reload) => <PostmarkConfigForm view={view} onReload={reload} />}
  </ConfigLoader>
);
