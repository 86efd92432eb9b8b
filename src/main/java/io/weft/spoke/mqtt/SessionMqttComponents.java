package io.weft.spoke.mqtt;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** Makes {@code weft-mqtt5:} URIs resolve: Camel looks a component up in the registry by its scheme first. */
public class SessionMqttComponents {

    @Produces
    @Singleton
    @Named(SessionMqttComponent.SCHEME)
    SessionMqttComponent sessionMqttComponent() {
        return new SessionMqttComponent();
    }
}
