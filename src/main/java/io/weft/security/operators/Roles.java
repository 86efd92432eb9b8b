package io.weft.security.operators;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Operator roles, each including the ones before it: {@code viewer} reads the journal, deliveries, systems
 * and rejections (payloads only with the separate {@code payload} permission); {@code operator} also
 * replays, pauses and resumes; {@code admin} also reads the audit trail and the configuration.
 */
public final class Roles {
    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    /** Not a rank but a permission: may see message payloads and rejected inputs. */
    public static final String PAYLOAD = "payload";

    private Roles() {
    }

    /** The roles granted, with the lower ranks each implies; unknown names are dropped. */
    public static Set<String> expand(Iterable<String> granted) {
        Set<String> roles = new LinkedHashSet<>();
        for (String role : granted) {
            switch (role.trim().toLowerCase(java.util.Locale.ROOT)) {
                case ADMIN -> roles.addAll(Set.of(ADMIN, OPERATOR, VIEWER));
                case OPERATOR -> roles.addAll(Set.of(OPERATOR, VIEWER));
                case VIEWER -> roles.add(VIEWER);
                case PAYLOAD -> roles.add(PAYLOAD);
                default -> {
                    // a role Weft does not know grants nothing
                }
            }
        }
        return roles;
    }
}
