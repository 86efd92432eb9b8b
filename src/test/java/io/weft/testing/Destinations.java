package io.weft.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The sample plant's MES and WMS as real HTTP servers (WireMock) on loopback ports; Weft is pointed at them.
 * Tests program their answers and read what they received.
 */
public class Destinations implements QuarkusTestResourceLifecycleManager {
    private static WireMockServer mes;
    private static WireMockServer wms;

    public static WireMockServer mes() {
        return mes;
    }

    public static WireMockServer wms() {
        return wms;
    }

    @Override
    public Map<String, String> start() {
        mes = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        wms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        mes.start();
        wms.start();
        return Map.of("weft.systems.mes.url", mes.baseUrl(), "weft.systems.wms.url", wms.baseUrl());
    }

    @Override
    public void stop() {
        mes.stop();
        wms.stop();
    }
}
