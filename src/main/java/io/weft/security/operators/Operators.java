package io.weft.security.operators;

import io.weft.security.KeyHashes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded operator accounts, for a plant without an identity provider: {@code weft.operators.names}
 * lists them; each has {@code weft.operators.<name>.password-hash} (a salted PBKDF2 hash, see
 * {@code ./hash-secret.sh --password}; from the environment, WEFT_OPERATORS_ALICE_PASSWORD_HASH) and
 * {@code weft.operators.<name>.roles} (viewer, operator, admin, payload).
 */
@ApplicationScoped
public class Operators {
    private static final Logger LOG = Logger.getLogger(Operators.class);

    public record Account(String name, String passwordHash, Set<String> roles) {
    }

    private final Map<String, Optional<Account>> accounts = new ConcurrentHashMap<>();
    /** Digests of name:password pairs already verified: PBKDF2 at 600,000 rounds costs a third of a second. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    /** The account whose password this is, or empty (unknown name, wrong password, no hash configured). */
    public Optional<Account> verify(String name, String password) {
        Optional<Account> account = account(name);
        if (account.isEmpty()) {
            // Spend the same time as for a known name, so timing does not tell which names exist.
            KeyHashes.matches(password, DUMMY);
            return Optional.empty();
        }
        String digest = digest(name, password);
        if (account.get().passwordHash().equals(verified.get(digest))) {
            return account;
        }
        if (!KeyHashes.matches(password, account.get().passwordHash())) {
            return Optional.empty();
        }
        if (verified.size() > 256) {
            verified.clear();
        }
        verified.put(digest, account.get().passwordHash());
        return account;
    }

    /** Whether this name and password were verified since the start (a digest lookup, no PBKDF2). */
    public boolean alreadyVerified(String name, String password) {
        Optional<Account> account = account(name);
        return account.isPresent() && account.get().passwordHash().equals(verified.get(digest(name, password)));
    }

    /** The account of this name, without a password check: for a console session whose cookie already proves it. */
    public Optional<Account> byName(String name) {
        return account(name);
    }

    Optional<Account> account(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            return Optional.empty();
        }
        return accounts.computeIfAbsent(name, Operators::load);
    }

    private static Optional<Account> load(String name) {
        Config config = ConfigProvider.getConfig();
        List<String> names = config.getOptionalValues("weft.operators.names", String.class).orElse(List.of());
        if (names.stream().map(String::trim).noneMatch(name::equals)) {
            return Optional.empty();
        }
        Optional<String> hash = config.getOptionalValue("weft.operators." + name + ".password-hash", String.class);
        if (hash.isEmpty() || !KeyHashes.isHash(hash.get())) {
            LOG.warnf("operator %s has no readable password hash (weft.operators.%s.password-hash); cannot log in",
                    name, name);
            return Optional.empty();
        }
        Set<String> roles = Roles.expand(config.getOptionalValues("weft.operators." + name + ".roles", String.class)
                .orElse(List.of()));
        return Optional.of(new Account(name, hash.get().trim(), roles));
    }

    /**
     * What an unknown name's password is checked against: a hash of "not a password" at the password rounds, made
     * once with ./hash-secret.sh and written here, because computing it (a third of a second of PBKDF2, more with
     * the C1 compiler alone) was the largest single cost of Weft's start.
     */
    static final String DUMMY = "pbkdf2-sha256:600000:ILkThJtrRv5R6LyXs1u4hA:1E2Qnll8v8NUDBU3GGsfFYD1q2oqKr6kPqxWWKFyNmI";

    private static String digest(String name, String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((name + "\u0000" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
