package io.weft.spoke;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The limit of a machine's metric: {@code weft.systems.iot.limits.<machine>.<metric>}, else
 * {@code weft.systems.iot.limits.default.<metric>}. Configuration does not change while Weft runs, so each
 * machine and metric is looked up once (two lookups through every config source per reading were 8 % of
 * Weft's CPU samples at 187 readings/s); the most recently used 20,000 are kept.
 */
@ApplicationScoped
public class Limits {
    private static final int KEPT = 20_000;

    @Inject
    Config config;

    private final Map<String, Optional<Double>> known = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Double>> eldest) {
            return size() > KEPT;
        }
    };

    public Optional<Double> of(String machine, String metric) {
        String key = machine + '\u0000' + metric;
        synchronized (known) {
            Optional<Double> limit = known.get(key);
            if (limit != null) {
                return limit;
            }
        }
        Optional<Double> own = config.getOptionalValue("weft.systems.iot.limits." + machine + "." + metric, Double.class);
        Optional<Double> limit = own.isPresent() ? own
                : config.getOptionalValue("weft.systems.iot.limits.default." + metric, Double.class);
        synchronized (known) {
            known.put(key, limit);
        }
        return limit;
    }
}
