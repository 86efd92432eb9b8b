package io.weft.console.pages;

import io.quarkus.security.identity.SecurityIdentity;
import io.weft.security.operators.Roles;

/** Who looks at a page, and so which buttons and payloads it shows (the API enforces the same roles). */
public record Viewer(String name, boolean canAct, boolean seesPayload, boolean admin) {

    static Viewer of(SecurityIdentity identity) {
        return new Viewer(identity.getPrincipal().getName(), identity.hasRole(Roles.OPERATOR),
                identity.hasRole(Roles.PAYLOAD), identity.hasRole(Roles.ADMIN));
    }

    public String role() {
        return admin ? "admin" : canAct ? "operator" : "viewer";
    }
}
