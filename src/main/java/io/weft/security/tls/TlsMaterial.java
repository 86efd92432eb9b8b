package io.weft.security.tls;

import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A system's TLS material from {@code weft.systems.<system>.tls.*}: its own certificate and key ({@code key-store}
 * with {@code key-store-password}, a PKCS12 or JKS file; or PEM files {@code certificate} and {@code key}, an
 * unencrypted PKCS#8 key as a Kubernetes TLS Secret holds it) and whom it trusts ({@code trust-store} with
 * {@code trust-store-password}, or PEM CA certificates {@code ca}). Paths in the configuration, passwords from the
 * environment ({@code WEFT_SYSTEMS_MES_TLS_KEY_STORE_PASSWORD}). Anything missing or unreadable fails the start
 * with a message naming the key, never the password.
 */
public record TlsMaterial(String system, KeyStore keyStore, char[] keyPassword, KeyStore trustStore) {
    /** The in-memory password of a key store made from PEM files (it never leaves this process). */
    private static final char[] PEM_PASSWORD = "pem".toCharArray();
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    @Override
    public String toString() {
        return "TlsMaterial[" + system + ", own certificate " + (keyStore != null) + ", trust " + (trustStore != null) + "]";
    }

    /** A TLS context with this material: its own certificate if any, its trust or else the JVM's. */
    public javax.net.ssl.SSLContext sslContext() {
        try {
            javax.net.ssl.KeyManagerFactory keys = null;
            if (keyStore != null) {
                keys = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, keyPassword);
            }
            javax.net.ssl.TrustManagerFactory trust = null;
            if (trustStore != null) {
                trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore);
            }
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("weft.systems." + system + ".tls.*: " + e.getMessage(), e);
        }
    }

    public boolean configured() {
        return keyStore != null || trustStore != null;
    }

    public static TlsMaterial load(Config config, String system) {
        String prefix = "weft.systems." + system + ".tls.";
        KeyStore keys = null;
        char[] keyPassword = null;
        Optional<String> keyStore = value(config, prefix + "key-store");
        Optional<String> certificate = value(config, prefix + "certificate");
        if (keyStore.isPresent()) {
            keyPassword = required(config, prefix + "key-store-password").toCharArray();
            keys = store(prefix + "key-store", keyStore.get(), value(config, prefix + "key-store-type"), keyPassword);
        } else if (certificate.isPresent()) {
            keyPassword = PEM_PASSWORD;
            keys = pemKeyStore(prefix, certificate.get(), required(config, prefix + "key"));
        }
        KeyStore trust = null;
        Optional<String> trustStore = value(config, prefix + "trust-store");
        Optional<String> ca = value(config, prefix + "ca");
        if (trustStore.isPresent()) {
            trust = store(prefix + "trust-store", trustStore.get(), value(config, prefix + "trust-store-type"),
                    required(config, prefix + "trust-store-password").toCharArray());
        } else if (ca.isPresent()) {
            trust = pemTrustStore(prefix + "ca", ca.get());
        }
        return new TlsMaterial(system, keys, keyPassword, trust);
    }

    private static KeyStore store(String key, String path, Optional<String> type, char[] password) {
        String kind = type.orElse(path.toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(kind);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // The JDK's message says "keystore password was incorrect" or names the file; never the password.
            throw new IllegalStateException(key + " (" + path + ") cannot be read as " + kind + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore pemKeyStore(String prefix, String certificatePath, String keyPath) {
        try {
            List<Certificate> chain = certificates(prefix + "certificate", certificatePath);
            List<byte[]> keys = blocks(Files.readString(Path.of(keyPath)), "PRIVATE KEY");
            if (keys.isEmpty()) {
                throw new IllegalStateException(prefix + "key (" + keyPath + ") holds no unencrypted PKCS#8 "
                        + "'BEGIN PRIVATE KEY' block (convert with: openssl pkcs8 -topk8 -nocrypt)");
            }
            PrivateKey key = privateKey(keys.get(0), chain.get(0).getPublicKey().getAlgorithm());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("weft", key, PEM_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(prefix + "certificate/key cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyStore pemTrustStore(String key, String path) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates(key, path)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(key + " (" + path + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(String key, String path) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(Files.readString(Path.of(path)), "CERTIFICATE")) {
            certificates.add(factory.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException(key + " (" + path + ") holds no PEM certificate");
        }
        return certificates;
    }

    private static PrivateKey privateKey(byte[] pkcs8, String algorithm) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2).getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return blocks;
    }

    private static Optional<String> value(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String required(Config config, String key) {
        return value(config, key).orElseThrow(() -> new IllegalStateException(key + " is not set (give it in the "
                + "environment as " + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")"));
    }
}
