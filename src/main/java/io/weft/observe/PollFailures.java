package io.weft.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.jboss.logging.Logger;

/**
 * The poll strategy and exception handler of Weft's polling sources ({@code pollStrategy: "#weftPollStrategy"},
 * {@code exceptionHandler: "#weftPollStrategy"} in the SQL table Kamelet). Camel logs a WARN with the endpoint's
 * whole URI (a SQL consumer's holds its query) on every failed poll; a QMS that refuses the login filled the log
 * with one such line per poll. Here a failed poll is evidence that the source is away and a good one that it is
 * back, given to {@link SystemReachability}, which logs only the transitions (one WARN down, one INFO back). Other
 * errors the consumer reports (a row that could not be marked) are logged, without URI query strings.
 * The next poll comes at the consumer's normal delay.
 */
@ApplicationScoped
@Named("weftPollStrategy")
public class PollFailures implements PollingConsumerPollStrategy, ExceptionHandler {
    private static final Logger LOG = Logger.getLogger(PollFailures.class);

    @Inject
    SystemReachability reachability;

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String system = system(consumer);
        if (system != null && reachability.of(system).map(s -> !s.reachable()).orElse(false)) {
            reachability.reachable(system);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String system = system(consumer);
        String error = "poll failed: " + cause.getMessage();
        if (system != null) {
            reachability.unreachable(system, error);
        } else {
            LOG.debugf("%s poll failed: %s", endpoint.getEndpointKey().split(":", 2)[0],
                    ReachabilityHistory.loggable(error));
        }
        return false;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String text = ReachabilityHistory.loggable((message == null ? "" : message + ": ") + exception.getMessage());
        if (message != null && message.contains("polling endpoint")) {
            LOG.debugf("%s", text); // reported through rollback(), logged by the reachability on a change
        } else {
            LOG.warnf("polling source: %s", text);
        }
    }

    /** The system of the polling route ({@code <system>-in-<what>}), or null. */
    static String system(Consumer consumer) {
        String routeId = consumer instanceof RouteIdAware aware ? aware.getRouteId() : null;
        int in = routeId == null ? -1 : routeId.indexOf("-in-");
        return in > 0 ? routeId.substring(0, in) : null;
    }
}
