package io.weft.ops.landscape;

import io.weft.delivery.FlowStatistics;
import io.weft.hub.RouterTable;
import io.weft.security.PublishRights;
import io.weft.systems.KnownSystems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every flow the hub knows, with its traffic: each source system (its inbound routes), each canonical type it may
 * publish ({@link PublishRights}: configured, or what its routes set), each destination the router can choose for
 * it ({@link RouterTable}), joined with {@link FlowStatistics}. Flows without traffic are listed too, and a flow
 * seen in the journal that the configuration no longer yields (a route since removed) is kept, so nothing that
 * happened in the window is hidden. A system added by a route file appears with no change here.
 */
@ApplicationScoped
public class FlowCatalog {

    @Inject
    KnownSystems systems;
    @Inject
    PublishRights rights;
    @Inject
    RouterTable router;
    @Inject
    FlowStatistics statistics;

    /** The flows and their counts over the window, in a stable order (source, type, destination). */
    public Map<FlowStatistics.Flow, FlowStatistics.Counts> over(Duration window, int buckets) {
        Map<FlowStatistics.Flow, FlowStatistics.Counts> traffic = statistics.over(window, buckets);
        TreeSet<FlowStatistics.Flow> flows = new TreeSet<>(Comparator.comparing(FlowStatistics.Flow::source)
                .thenComparing(FlowStatistics.Flow::type).thenComparing(FlowStatistics.Flow::destination));
        for (String source : systems.sources()) {
            for (String type : rights.granted(source)) {
                for (String destination : router.destinations(source, type)) {
                    flows.add(new FlowStatistics.Flow(source, type, destination));
                }
            }
        }
        flows.addAll(traffic.keySet());
        Map<FlowStatistics.Flow, FlowStatistics.Counts> all = new LinkedHashMap<>();
        for (FlowStatistics.Flow flow : flows) {
            all.put(flow, traffic.getOrDefault(flow, FlowStatistics.Counts.none(buckets)));
        }
        return all;
    }
}
