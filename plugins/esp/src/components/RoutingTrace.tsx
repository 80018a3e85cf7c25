import {
  RoutingDecision,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Typography from '@material-ui/core/Typography';

/**
 * A routing decision in words: the provider, the failover after it, and the
 * trace's steps in order. The routing page's dry run and a message's detail
 * show a decision the same way.
 */
export const RoutingTrace = (props: {
  decision: RoutingDecision;
  /** The accessible name of the list of steps. */
  stepsLabel: string;
  /** How the chosen provider is put: "Sent through" in the dry run. */
  providerVerb?: string;
}) => {
  const { decision } = props;
  return (
    <>
      <Typography variant="subtitle1">
        {decision.provider
          ? `${props.providerVerb ?? 'Sent through'} ${routingProviderName(
              decision.provider,
            )}`
          : 'No provider can send this email'}
      </Typography>
      <Typography variant="body2">
        {decision.chain.length
          ? `If it fails: ${decision.chain
              .map(routingProviderName)
              .join(' → ')}`
          : 'No failover after it'}
      </Typography>
      <ol aria-label={props.stepsLabel}>
        {decision.trace.map((step, index) => (
          <li key={index}>
            <Typography variant="body2">{step.message}</Typography>
          </li>
        ))}
      </ol>
    </>
  );
};
