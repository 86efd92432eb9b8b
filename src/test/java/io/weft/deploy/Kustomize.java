package io.weft.deploy;

import io.weft.testing.WeftProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's own tools on the Kubernetes manifests: {@code k8s/generate.sh} and {@code kubectl kustomize}
 * (Debian's kubectl, which has kustomize built in; installed with apt-get when missing, as {@code .ci/run} does).
 */
final class Kustomize {
    private Kustomize() {
    }

    static Path k8s() {
        return WeftProcess.projectDir().resolve("k8s");
    }

    static List<Path> overlays() throws IOException {
        try (var dirs = Files.list(k8s().resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The output of {@code kubectl kustomize <overlay>}, after {@code k8s/generate.sh <overlay>}. */
    static String build(Path overlay) throws Exception {
        run(List.of("bash", k8s().resolve("generate.sh").toString(), overlay.toString()));
        return run(List.of(kubectl(), "kustomize", overlay.toString()));
    }

    private static String kubectl() throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl").toString();
            }
        }
        // A fresh machine: Debian's kubectl package, as .ci/run installs it.
        run(List.of("bash", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl"));
        return "kubectl";
    }

    static String run(List<String> command) throws Exception {
        Path out = Files.createTempFile("weft-k8s-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish");
            }
            String stdout = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " exited with " + p.exitValue() + ":\n" + err + stdout);
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The documents of a multi-document YAML stream as kubectl writes it ({@code ---} lines between them). */
    static List<String> documents(String yaml) {
        List<String> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            if (line.equals("---")) {
                docs.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        docs.add(current.toString());
        return docs.stream().filter(d -> !d.isBlank()).toList();
    }
}
