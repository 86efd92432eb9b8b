package io.weft.console.session;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import io.weft.security.operators.Operators;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A console session: the encrypted cookie names the operator; the roles are read again from the accounts on
 * every request, so a role taken away (or an account removed) takes effect at once, not when the cookie expires.
 */
@ApplicationScoped
public class ConsoleSession implements IdentityProvider<TrustedAuthenticationRequest> {

    @Inject
    Operators operators;

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom().item(() -> operators.byName(request.getPrincipal())
                .map(account -> ConsoleLogin.identity(account.name(), account.roles()))
                .orElseThrow(() -> new AuthenticationFailedException("the session's operator no longer exists")));
    }
}
