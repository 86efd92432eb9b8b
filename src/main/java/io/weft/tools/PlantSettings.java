package io.weft.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings the placeholders of the route files resolve against, in Quarkus's order (later wins): the
 * packaged {@code application.properties} (the plant's own copy in its folder when there is one), then
 * {@code config/application.properties} of the plant's folder, then the environment
 * ({@code weft.systems.mes.url} → {@code WEFT_SYSTEMS_MES_URL}). With a profile, {@code %<profile>.key} wins
 * over {@code key} in each file. {@code ${other.key:default}} in a value is expanded.
 */
final class PlantSettings {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    /** A setting's value and where it was set (a file, or the environment variable's name). */
    record Value(String value, String origin) {
    }

    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Function<String, String> environment;

    PlantSettings(Path plantDir, String profile, Function<String, String> environment) {
        this.environment = environment;
        Path own = plantDir.resolve("application.properties");
        if (Files.isRegularFile(own)) {
            read(own, profile);
        } else {
            readPackaged(profile);
        }
        Path config = plantDir.resolve("config/application.properties");
        if (Files.isRegularFile(config)) {
            read(config, profile);
        }
    }

    /** The value of {@code key} as Weft would see it, or empty when nothing sets it. */
    Optional<Value> get(String key) {
        String env = environment.apply(envName(key));
        if (env != null) {
            return Optional.of(new Value(expand(env, 0), "environment " + envName(key)));
        }
        Value value = values.get(key);
        return value == null ? Optional.empty() : Optional.of(new Value(expand(value.value(), 0), value.origin()));
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private String expand(String value, int depth) {
        if (depth > 10 || !value.contains("${")) {
            return value;
        }
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Optional<Value> inner = get(m.group(1));
            String replacement = inner.map(Value::value).orElse(m.group(2) != null ? m.group(2) : m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(expand(replacement, depth + 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void read(Path file, String profile) {
        try (Reader reader = Files.newBufferedReader(file)) {
            put(reader, file.toString(), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readPackaged(String profile) {
        try (InputStream in = PlantSettings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                put(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8),
                        "application.properties (packaged)", profile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(Reader reader, String origin, String profile) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                values.put(key, new Value(properties.getProperty(key), origin));
            }
        }
        if (profile != null) {
            String prefix = "%" + profile + ".";
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith(prefix)) {
                    values.put(key.substring(prefix.length()), new Value(properties.getProperty(key), origin));
                }
            }
        }
    }
}
