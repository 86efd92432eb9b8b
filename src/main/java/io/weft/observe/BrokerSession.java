package io.weft.observe;

/**
 * A route consumer that holds a session with a message broker and reports whether it is connected, so the
 * reachability probe ({@link SpokeProbes}) can judge a broker from the consumers Camel started without knowing
 * the spoke that implements them (Weft's MQTT 5 consumer does).
 */
public interface BrokerSession {
    /** The broker this session is with, as configured ({@code tcp://host:1883}). */
    String brokerUrl();

    /** Whether the session is connected to the broker now. */
    boolean isConnected();
}
