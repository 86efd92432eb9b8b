package io.weft.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes of API keys and operator passwords, from the JDK's own crypto provider
 * (no extra library). Weft's configuration holds only such hashes, never a key or a password:
 * {@code pbkdf2-sha256:<iterations>:<salt, base64>:<hash, base64>}. The iteration count is part of the hash,
 * so it can be raised for new hashes without invalidating old ones.
 *
 * <p>Run without the application to make a hash: {@code ./hash-secret.sh --password <password>} or
 * {@code --key <api key>}, and {@code --new-key} to make a random API key and its hash.
 * This file uses the JDK only, so the Java source launcher runs it as it is.
 */
public final class KeyHashes {
    public static final String SCHEME = "pbkdf2-sha256";
    /** Passwords (chosen by people): OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int PASSWORD_ITERATIONS = 600_000;
    /**
     * API keys are 256 random bits ({@link #newKey()}): nothing to guess, so stretching them buys nothing and
     * would only make every request with a wrong key expensive for Weft.
     */
    public static final int KEY_ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** PBKDF2 verifications run since the start (the flood test proves that refused floods run none). */
    private static final java.util.concurrent.atomic.AtomicLong VERIFICATIONS = new java.util.concurrent.atomic.AtomicLong();

    public static long verifications() {
        return VERIFICATIONS.get();
    }

    private KeyHashes() {
    }

    public static String hashPassword(String password) {
        return hash(password, PASSWORD_ITERATIONS);
    }

    public static String hashKey(String key) {
        return hash(key, KEY_ITERATIONS);
    }

    public static String hash(String secret, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
                + b64.encodeToString(derive(secret, salt, iterations));
    }

    /** Whether {@code secret} is the one {@code hash} was made from; false for a hash Weft cannot read. */
    public static boolean matches(String secret, String hash) {
        if (secret == null || hash == null) {
            return false;
        }
        VERIFICATIONS.incrementAndGet();
        String[] parts = hash.trim().split(":");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            // Constant-time comparison: the time taken says nothing about how much of the key was right.
            return MessageDigest.isEqual(expected, derive(secret, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code hash} has the form Weft reads (used to report configuration mistakes at start). */
    public static boolean isHash(String hash) {
        String[] parts = hash == null ? new String[0] : hash.trim().split(":");
        return parts.length == 4 && SCHEME.equals(parts[0]) && parts[1].matches("[1-9][0-9]{0,8}");
    }

    /** A new random API key: 32 bytes from a strong random source, base64url. */
    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--new-key")) {
            String key = newKey();
            System.out.println("key:  " + key);
            System.out.println("hash: " + hashKey(key));
        } else if (args.length == 2 && args[0].equals("--password")) {
            System.out.println(hashPassword(args[1]));
        } else if (args.length == 2 && args[0].equals("--key")) {
            System.out.println(hashKey(args[1]));
        } else {
            System.err.println("usage: KeyHashes --new-key | --key <api key> | --password <password>");
            System.exit(2);
        }
    }
}
