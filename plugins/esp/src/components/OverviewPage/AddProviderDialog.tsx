import type { ProviderSummary } from '@internal/plugin-esp-common';
import Dialog from '@material-ui/core/Dialog';
import DialogTitle from '@material-ui/core/DialogTitle';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemAvatar from '@material-ui/core/ListItemAvatar';
import ListItemText from '@material-ui/core/ListItemText';
import { useNavigate } from 'react-router-dom';
import { ProviderLogo } from '../ProviderCard';

/** "+ Add ESP": pick a provider to configure; providers without support yet are shown but disabled. */
export const AddProviderDialog = (props: {
  open: boolean;
  onClose: () => void;
  providers: ProviderSummary[];
  pathOf: (providerId: string) => string;
}) => {
  const navigate = useNavigate();
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="add-esp-title"
    >
      <DialogTitle id="add-esp-title">
        Add an email service provider
      </DialogTitle>
      <List>
        {props.providers.map(p => {
          let secondary = 'Not configured yet';
          if (p.comingSoon) secondary = 'Coming soon';
          else if (p.configured)
            secondary = 'Already configured: opens its settings';
          return (
            <ListItem
              key={p.providerId}
              button
              disabled={p.comingSoon}
              onClick={() => navigate(props.pathOf(p.providerId))}
            >
              <ListItemAvatar>
                <ProviderLogo providerId={p.providerId} name={p.displayName} />
              </ListItemAvatar>
              <ListItemText primary={p.displayName} secondary={secondary} />
            </ListItem>
          );
        })}
      </List>
    </Dialog>
  );
};
