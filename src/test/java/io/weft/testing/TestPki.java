package io.weft.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/**
 * A small private PKI a test makes with openssl and keytool in its own folder: certificate authorities, and
 * certificates they sign (a server's for localhost and 127.0.0.1, a client's named after a system). Each
 * certificate is there as PEM ({@code <name>.crt}, {@code <name>.key}, an unencrypted PKCS#8 key) and as
 * PKCS12 ({@code <name>.p12}, password {@link #PASSWORD}); each CA also as a trust store {@code <ca>-trust.p12}.
 */
public final class TestPki {
    public static final String PASSWORD = "test-pki-pw";
    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public TestPki ca(String name) {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", name + ".key", "-out", name + ".crt");
        run("keytool", "-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-storetype", "PKCS12",
                "-keystore", name + "-trust.p12", "-storepass", PASSWORD);
        return this;
    }

    /** A certificate for {@code cn}, signed by {@code ca}, valid for localhost and 127.0.0.1 (server and client use). */
    public TestPki certificate(String name, String cn, String ca) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                    + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn + "/O=Plant P1",
                "-keyout", name + ".key", "-out", name + ".csr");
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        run("openssl", "pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-certfile", ca + ".crt",
                "-name", name, "-out", name + ".p12", "-passout", "pass:" + PASSWORD);
        return this;
    }

    /** A TLS context holding {@code own}'s certificate (or none) and trusting {@code trustedCa}. */
    public SSLContext context(String own, String trustedCa) {
        try {
            KeyManagerFactory keys = null;
            if (own != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(own + ".p12"), PASSWORD.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustedCa + "-trust.p12"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
