package org.attentionanalytics.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the small UTF-8 text files the job is configured with (rules files and their built-in defaults). */
public final class TextFiles {
    private TextFiles() {}

    /**
     * @param name an absolute classpath resource, e.g. {@code /category-rules.txt}
     * @throws IllegalStateException when it is missing from the build
     */
    public static String resource(String name) {
        try (InputStream in = TextFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /**
     * @param what what the file is, for the message (e.g. {@code bot rules})
     * @throws IllegalArgumentException when the file cannot be read
     */
    public static String read(String path, String what) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + path + ": " + e.getMessage(), e);
        }
    }
}
