package io.weft.security.outbound;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.weft.delivery.MisconfiguredDestinationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A destination's secret missing from the environment is a {@link MisconfiguredDestinationException} naming the
 * variable to set (the delivery is parked PERMANENT with it, FailureClassifierMisconfiguredTest), never a
 * failure that is retried.
 */
class MissingCredentialTest {
    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    @Test
    void aMissingPasswordNamesItsEnvironmentVariable() {
        var e = assertThrows(MisconfiguredDestinationException.class, () -> DestinationCredentials.load(
                config(Map.of("weft.systems.mes.outbound.auth", "basic", "weft.systems.mes.outbound.username", "weft")),
                "mes"));
        assertTrue(e.getMessage().contains("WEFT_SYSTEMS_MES_OUTBOUND_PASSWORD"), e.getMessage());
    }

    @Test
    void aMissingClientSecretNamesItsEnvironmentVariable() {
        var e = assertThrows(MisconfiguredDestinationException.class, () -> DestinationCredentials.load(
                config(Map.of("weft.systems.erp.outbound.auth", "oauth2", "weft.systems.erp.outbound.token-url",
                        "http://127.0.0.1:1/token", "weft.systems.erp.outbound.client-id", "weft")), "erp"));
        assertTrue(e.getMessage().contains("WEFT_SYSTEMS_ERP_OUTBOUND_CLIENT_SECRET"), e.getMessage());
    }

    @Test
    void anUnknownMethodIsMisconfigured() {
        assertThrows(MisconfiguredDestinationException.class, () -> DestinationCredentials.load(
                config(Map.of("weft.systems.erp.outbound.auth", "kerberos")), "erp"));
    }
}
