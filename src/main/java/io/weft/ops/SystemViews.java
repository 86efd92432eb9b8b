package io.weft.ops;

import io.weft.delivery.DestinationPauses;
import io.weft.observe.OutboxStats;
import io.weft.observe.SystemReachability;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Each connected system as the operations API shows it: reachability, pause, backlog, DEAD count, last error. */
@ApplicationScoped
public class SystemViews {

    public record SystemView(String name, boolean sends, boolean receives, String reachability, boolean paused,
                             String lastError, Instant lastErrorAt, Instant lastSuccess, long backlog,
                             double oldestPendingAgeSeconds, long dead) {
    }

    @Inject
    KnownSystems systems;
    @Inject
    SystemReachability reachability;
    @Inject
    OutboxStats stats;
    @Inject
    DestinationPauses pauses;

    public TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>(systems.sources());
        names.addAll(systems.destinations());
        return names;
    }

    public List<SystemView> all() {
        stats.refresh();
        Map<String, DestinationPauses.Pause> paused = pauses.all();
        List<SystemView> views = new ArrayList<>();
        for (String name : names()) {
            views.add(view(name, paused.containsKey(name)));
        }
        return views;
    }

    public Optional<SystemView> of(String name) {
        if (!names().contains(name)) {
            return Optional.empty();
        }
        stats.refresh();
        return Optional.of(view(name, pauses.of(name).isPresent()));
    }

    private SystemView view(String name, boolean paused) {
        boolean receives = systems.destinations().contains(name);
        var state = reachability.of(name);
        var outbox = stats.of(name);
        return new SystemView(name, systems.sources().contains(name), receives,
                state.map(s -> s.reachable() ? "UP" : "DOWN").orElse(receives ? "UNKNOWN" : "N/A (sends to Weft)"),
                paused, state.map(SystemReachability.State::lastError).orElse(null),
                state.map(SystemReachability.State::lastErrorAt).orElse(null),
                state.map(SystemReachability.State::lastSuccess).orElse(null),
                outbox.backlog(), outbox.oldestPendingAge().toMillis() / 1000.0, outbox.dead());
    }
}
