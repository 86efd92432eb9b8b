package io.weft.security.inbound;

/**
 * Who a request to {@code /inbound/<system>/...} turned out to be. {@code identity} is the system its
 * credential proves (null when it proves none); {@code reason} says why it is refused, in words that never
 * contain the credential.
 */
public record Verdict(Outcome outcome, String identity, SystemSecurity.Method method, String reason) {
    public enum Outcome { ACCEPTED, UNAUTHENTICATED, FORBIDDEN }

    static Verdict accepted(String system, SystemSecurity.Method method) {
        return new Verdict(Outcome.ACCEPTED, system, method, null);
    }

    static Verdict unauthenticated(SystemSecurity.Method method, String reason) {
        return new Verdict(Outcome.UNAUTHENTICATED, null, method, reason);
    }

    static Verdict forbidden(String identity, SystemSecurity.Method method, String reason) {
        return new Verdict(Outcome.FORBIDDEN, identity, method, reason);
    }
}
