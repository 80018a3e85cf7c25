import { InfoCard, WarningPanel } from '@backstage/core-components';
import { DragDropContext, Draggable, Droppable } from '@hello-pangea/dnd';
import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { SelectField } from './fields';
import { useProviderOptions } from './providerOptions';
import { RuleCard } from './RuleCard';
import {
  addRule,
  deleteRule,
  DraftRule,
  duplicateRule,
  FieldErrors,
  move,
  renumber,
  ruleConflicts,
  ruleErrorKey,
} from './routingForm';

/**
 * The rule cards in priority order. Dropping a card (mouse or keyboard)
 * renumbers the priorities 1..n from the new order; so does choosing another
 * priority on a card. Rules are added at the end and opened for editing.
 */
export const RoutingRulesBuilder = (props: {
  rules: DraftRule[];
  onRulesChange: (rules: DraftRule[]) => void;
  defaultProvider: ConfigurableProviderId;
  onDefaultProviderChange: (provider: ConfigurableProviderId) => void;
  errors: FieldErrors;
  /** The backend's message from the last save, by the card it names. */
  serverErrors: Record<string, string>;
  readOnly: boolean;
}) => {
  const { rules, onRulesChange, readOnly } = props;
  const providerOptions = useProviderOptions();
  const [editing, setEditing] = useState<Set<string>>(new Set());
  const conflicts = ruleConflicts(rules);
  const inConflict = new Set(conflicts.flatMap(c => c.ruleKeys));
  const hasErrors = (key: string) =>
    Boolean(props.serverErrors[key]) ||
    Object.keys(props.errors).some(k => k.startsWith(ruleErrorKey(key, '')));

  const edit = (key: string, open: boolean) =>
    setEditing(current => {
      const next = new Set(current);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });

  const update = (key: string, patch: Partial<DraftRule>) =>
    onRulesChange(rules.map(r => (r.key === key ? { ...r, ...patch } : r)));

  const add = () => {
    const next = addRule(rules, props.defaultProvider);
    edit(next[next.length - 1].key, true);
    onRulesChange(next);
  };

  const duplicate = (key: string) => {
    const next = duplicateRule(rules, key);
    const index = next.findIndex(r => r.key === key);
    edit(next[index + 1].key, true);
    onRulesChange(next);
  };

  return (
    <InfoCard title="Routing Rules Builder">
      <Typography variant="body2" color="textSecondary" paragraph>
        Rules are checked in priority order (1 = highest); the first enabled
        rule whose email type and conditions match routes the email. Drag a card
        by its handle to change the order, or focus the handle and press Space,
        the arrow keys, then Space again.
      </Typography>
      {conflicts.map(conflict => (
        <Box mb={2} key={conflict.ruleKeys.join()}>
          <WarningPanel
            severity="warning"
            title={`Routing conflict: several rules for ${conflict.typeName} emails`}
            message={conflict.message}
          />
        </Box>
      ))}
      {rules.length === 0 ? (
        <Box py={2}>
          <Typography variant="subtitle1">No routing rules yet</Typography>
          <Typography variant="body2" color="textSecondary">
            Every email goes to the default (fallback) provider below.
          </Typography>
        </Box>
      ) : (
        <DragDropContext
          onDragEnd={result => {
            if (!result.destination) return;
            if (result.destination.index === result.source.index) return;
            onRulesChange(
              renumber(
                move(rules, result.source.index, result.destination.index),
              ),
            );
          }}
        >
          <Droppable droppableId="routing-rules">
            {provided => (
              <ol
                {...provided.droppableProps}
                ref={provided.innerRef}
                aria-label="Routing rules"
                style={{ listStyle: 'none', padding: 0, margin: 0 }}
              >
                {rules.map((rule, index) => (
                  <Draggable
                    key={rule.key}
                    draggableId={rule.key}
                    index={index}
                    isDragDisabled={readOnly}
                  >
                    {dragged => (
                      <li
                        ref={dragged.innerRef}
                        {...dragged.draggableProps}
                        style={{
                          ...dragged.draggableProps.style,
                          marginBottom: 12,
                        }}
                      >
                        <RuleCard
                          rule={rule}
                          count={rules.length}
                          editing={editing.has(rule.key) || hasErrors(rule.key)}
                          readOnly={readOnly}
                          errors={props.errors}
                          serverError={props.serverErrors[rule.key]}
                          conflict={inConflict.has(rule.key)}
                          dragHandleProps={dragged.dragHandleProps}
                          onChange={patch => update(rule.key, patch)}
                          onMoveTo={priority =>
                            onRulesChange(
                              renumber(move(rules, index, priority - 1)),
                            )
                          }
                          onToggleEdit={() =>
                            edit(rule.key, !editing.has(rule.key))
                          }
                          onDelete={() =>
                            onRulesChange(deleteRule(rules, rule.key))
                          }
                          onDuplicate={() => duplicate(rule.key)}
                        />
                      </li>
                    )}
                  </Draggable>
                ))}
                {provided.placeholder}
              </ol>
            )}
          </Droppable>
        </DragDropContext>
      )}
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mt={1}
        style={{ gap: 12 }}
      >
        <SelectField
          id="routing-default-provider"
          label="Default (Fallback)"
          value={props.defaultProvider}
          options={providerOptions}
          onChange={props.onDefaultProviderChange}
          disabled={readOnly}
          helperText="Sends every email no rule routes"
        />
        {!readOnly && (
          <Button variant="outlined" color="primary" onClick={add}>
            + Add Routing Rule
          </Button>
        )}
      </Box>
    </InfoCard>
  );
};
