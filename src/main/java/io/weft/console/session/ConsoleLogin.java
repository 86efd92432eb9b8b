package io.weft.console.session;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.weft.audit.AuditTrail;
import io.weft.security.operators.Operators;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * The console's login form ({@code POST /j_security_check}, Quarkus form authentication) checked against the
 * embedded operator accounts, the same ones HTTP Basic uses. A refused login is audited like a refused Basic one:
 * the name presented, the remote address, never the password.
 */
@ApplicationScoped
public class ConsoleLogin implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @Inject
    Operators operators;
    @Inject
    AuditTrail audit;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String remote = http == null || http.request().remoteAddress() == null ? null
                : http.request().remoteAddress().hostAddress();
        String name = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        // PBKDF2 and the audit insert block: on a worker thread.
        return context.runBlocking(() -> operators.verify(name, password)
                .map(account -> identity(account.name(), account.roles()))
                .orElseThrow(() -> refused(name, remote)));
    }

    private AuthenticationFailedException refused(String name, String remote) {
        String actor = name == null || name.isBlank() ? "(empty)" : name.length() > 64 ? name.substring(0, 64) : name;
        audit.recordRefusal(AuditTrail.Entry.of(actor, "console-login", "console", AuditTrail.REFUSED, remote,
                "POST /j_security_check", "wrong name or password"));
        return new AuthenticationFailedException("wrong name or password");
    }

    static SecurityIdentity identity(String name, Set<String> roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).addRoles(roles)
                .addAttribute("weft.login", "console").build();
    }
}
