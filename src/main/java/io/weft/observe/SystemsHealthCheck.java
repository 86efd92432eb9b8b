package io.weft.observe;

import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of a hub means: it can accept and journal messages (database and Camel checks decide that).
 * A destination being down does not make the hub unready: Weft keeps accepting and queues the deliveries,
 * which is exactly its job. So this check stays UP and names each connected system with its state, e.g.
 * {@code "mes": "DOWN since 2026-12-01T03:12:09Z: cannot connect to mes:8080"}, for operators and alerts.
 */
@Readiness
@ApplicationScoped
public class SystemsHealthCheck implements HealthCheck {

    @Inject
    KnownSystems systems;
    @Inject
    SystemReachability reachability;
    @Inject
    OutboxStats stats;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("weft-systems").up();
        int down = 0;
        for (String system : reachability.probed()) {
            var state = reachability.of(system);
            String text;
            if (state.isEmpty()) {
                text = "UNKNOWN (not checked yet)";
            } else if (state.get().reachable()) {
                text = "UP";
            } else {
                down++;
                text = "DOWN since " + state.get().since() + ": " + state.get().lastError();
            }
            response.withData(system, text + "; backlog " + stats.of(system).backlog());
        }
        return response.withData("systemsDown", down).build();
    }
}
