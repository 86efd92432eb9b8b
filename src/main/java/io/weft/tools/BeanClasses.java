package io.weft.tools;

import jakarta.inject.Named;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The beans routes can call by name ({@code bean:mapper}): Weft's classes annotated {@code @Named("...")},
 * found on the class path without starting CDI (the classes are loaded, not initialised).
 */
final class BeanClasses {
    private static final String PACKAGE = "io/weft/";

    private BeanClasses() {
    }

    static Map<String, Class<?>> find() {
        Map<String, Class<?>> beans = new TreeMap<>();
        ClassLoader loader = BeanClasses.class.getClassLoader();
        try {
            Enumeration<URL> roots = loader.getResources(PACKAGE);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                for (String className : classNames(root)) {
                    Class<?> type;
                    try {
                        type = Class.forName(className, false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        continue;
                    }
                    Named named = type.getAnnotation(Named.class);
                    if (named != null && !named.value().isEmpty()) {
                        beans.put(named.value(), type);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return beans;
    }

    private static java.util.List<String> classNames(URL root) throws IOException {
        if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                return jar.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class") && !n.contains("$"))
                        .map(BeanClasses::className).toList();
            }
        }
        try {
            Path dir = Path.of(root.toURI());
            Path base = dir.getParent().getParent();
            try (Stream<Path> files = Files.walk(dir)) {
                return files.map(f -> base.relativize(f).toString().replace('\\', '/'))
                        .filter(n -> n.endsWith(".class") && !n.contains("$")).map(BeanClasses::className).toList();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return java.util.List.of();
        }
    }

    private static String className(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
