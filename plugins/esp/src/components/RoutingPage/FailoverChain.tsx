import { DragDropContext, Draggable, Droppable } from '@hello-pangea/dnd';
import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import DragIndicatorIcon from '@material-ui/icons/DragIndicator';
import { move } from './routingForm';

/** Primary, Secondary, …, Final: the role of each place in the chain. */
export function chainRole(index: number, length: number): string {
  if (index === 0) return 'Primary';
  if (index === length - 1) return 'Final';
  return index === 1 ? 'Secondary' : `Backup ${index}`;
}

/**
 * The failover order, reorderable by drag and drop (or the keyboard: focus a
 * handle, Space, arrows, Space). Providers can be taken out and put back.
 */
export const FailoverChain = (props: {
  chain: ConfigurableProviderId[];
  onChange: (chain: ConfigurableProviderId[]) => void;
  readOnly: boolean;
  error?: string;
}) => {
  const { chain, readOnly } = props;
  const missing = CONFIGURABLE_PROVIDER_IDS.filter(id => !chain.includes(id));
  return (
    <Box>
      <Typography variant="subtitle2" component="h3" id="failover-order">
        Failover Order
      </Typography>
      <DragDropContext
        onDragEnd={result => {
          if (!result.destination) return;
          props.onChange(
            move(chain, result.source.index, result.destination.index),
          );
        }}
      >
        <Droppable droppableId="failover-chain">
          {provided => (
            <ol
              {...provided.droppableProps}
              ref={provided.innerRef}
              aria-labelledby="failover-order"
              style={{
                listStyle: 'none',
                padding: 0,
                margin: 0,
                maxWidth: 420,
              }}
            >
              {chain.map((id, index) => {
                const label = `${index + 1}. ${chainRole(
                  index,
                  chain.length,
                )}: ${routingProviderName(id)}`;
                return (
                  <Draggable
                    key={id}
                    draggableId={`chain-${id}`}
                    index={index}
                    isDragDisabled={readOnly}
                  >
                    {dragged => (
                      <li
                        ref={dragged.innerRef}
                        {...dragged.draggableProps}
                        style={{
                          ...dragged.draggableProps.style,
                          marginBottom: 8,
                        }}
                        aria-label={label}
                      >
                        <Paper variant="outlined">
                          <Box display="flex" alignItems="center" px={1}>
                            <Box
                              {...dragged.dragHandleProps}
                              aria-label={`Reorder ${routingProviderName(
                                id,
                              )} in the failover order`}
                              display="flex"
                            >
                              <DragIndicatorIcon
                                color={readOnly ? 'disabled' : 'action'}
                              />
                            </Box>
                            <Box flexGrow={1} px={1} py={1}>
                              <Typography variant="body2">{label}</Typography>
                            </Box>
                            {!readOnly && chain.length > 1 && (
                              <IconButton
                                size="small"
                                aria-label={`Remove ${routingProviderName(
                                  id,
                                )} from the failover order`}
                                onClick={() =>
                                  props.onChange(chain.filter(p => p !== id))
                                }
                              >
                                <CloseIcon fontSize="small" />
                              </IconButton>
                            )}
                          </Box>
                        </Paper>
                      </li>
                    )}
                  </Draggable>
                );
              })}
              {provided.placeholder}
            </ol>
          )}
        </Droppable>
      </DragDropContext>
      {props.error && (
        <Typography color="error" variant="body2" role="alert">
          {props.error}
        </Typography>
      )}
      {!readOnly &&
        missing.map(id => (
          <Button
            key={id}
            size="small"
            onClick={() => props.onChange([...chain, id])}
          >
            + Add {routingProviderName(id)}
          </Button>
        ))}
    </Box>
  );
};
