package io.weft.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.testing.WeftProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of {@code src/main/docker/Dockerfile.jvm}, read the way Docker reads them (comments dropped, lines
 * continued by a backslash joined), so tests can check and replay what the image does without a Docker engine.
 */
record Dockerfile(List<Instruction> instructions) {
    record Instruction(String keyword, String arguments) {
    }

    /** One COPY: its sources (relative to the build context, may hold a {@code *}) and its destination. */
    record Copy(List<String> sources, String destination) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=('([^']*)'|\"([^\"]*)\"|(\\S*))");

    static Dockerfile jvm() throws IOException {
        return parse(Files.readString(WeftProcess.projectDir().resolve("src/main/docker/Dockerfile.jvm")));
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String instruction = current.toString().strip();
            current.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            instructions.add(new Instruction(instruction.substring(0, space).toUpperCase(), instruction.substring(space + 1).strip()));
        }
        return new Dockerfile(instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            while (m.find()) {
                String value = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
                env.put(m.group(1), value);
            }
        }
        return env;
    }

    String env(String name) {
        String value = env().get(name);
        if (value == null) {
            throw new AssertionError("Dockerfile.jvm sets no " + name);
        }
        return value;
    }

    String workdir() {
        List<String> dirs = all("WORKDIR");
        return dirs.get(dirs.size() - 1);
    }

    String user() {
        List<String> users = all("USER");
        return users.isEmpty() ? "root" : users.get(users.size() - 1);
    }

    /** The ENTRYPOINT in exec form (a JSON array). */
    List<String> entrypoint() throws IOException {
        List<String> entrypoints = all("ENTRYPOINT");
        if (entrypoints.size() != 1 || !entrypoints.get(0).startsWith("[")) {
            throw new AssertionError("one ENTRYPOINT in exec form (JSON array): " + entrypoints);
        }
        return new ObjectMapper().readValue(entrypoints.get(0), new TypeReference<List<String>>() { });
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (String args : all("COPY")) {
            List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            copies.add(new Copy(words.subList(0, words.size() - 1), words.get(words.size() - 1)));
        }
        return copies;
    }
}
