package io.weft.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plant each system belongs to: {@code weft.systems.<system>.plant}, or else the hub's {@code weft.plant}.
 * One hub can so serve systems of several plants; the plant is part of each envelope's {@code source}
 * ({@code /plants/<plant>/systems/<system>}).
 */
@ApplicationScoped
public class SystemPlants {
    @Inject
    Config config;
    @ConfigProperty(name = "weft.plant")
    String defaultPlant;

    // Settings do not change while Weft runs; looked up once per system, not on every message.
    private final Map<String, String> plants = new ConcurrentHashMap<>();

    public String plantOf(String system) {
        return plants.computeIfAbsent(system, s -> config.getOptionalValue("weft.systems." + s + ".plant", String.class)
                .filter(p -> !p.isBlank()).orElse(defaultPlant));
    }

    /** The envelope's source for a message from {@code system}. */
    public String sourceOf(String system) {
        return "/plants/" + plantOf(system) + "/systems/" + system;
    }
}
