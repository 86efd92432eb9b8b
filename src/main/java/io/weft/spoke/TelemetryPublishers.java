package io.weft.spoke;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ExecutorService;

/**
 * The threads the iot route's split publishes a batch's alarms on ({@code executorService: weftIotPublishers}).
 * Each waits for the hub's group commit, so many alarms side by side make one transaction; Camel's default pool
 * (10 threads, then a queue) would cap that at 10. Camel's executor service manager shuts it down with the context.
 */
public class TelemetryPublishers {

    @Produces
    @Singleton
    @Named("weftIotPublishers")
    ExecutorService publishers(CamelContext camel,
                               @ConfigProperty(name = "weft.systems.iot.publish-threads", defaultValue = "32") int threads) {
        return camel.getExecutorServiceManager().newFixedThreadPool(this, "weft-iot-publish", threads);
    }
}
