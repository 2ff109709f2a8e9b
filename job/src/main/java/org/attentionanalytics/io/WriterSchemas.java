package org.attentionanalytics.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * Writer schemas of input records that the job accepts besides its own ({@code --writer-schemas
 * DIR}): a producer's newer or older {@code ClickEvent}, {@code DwellEvent}, {@code
 * AttentionBudget}, {@code ErasureRequest} or {@code ContentProfile}. Avro single-object encoding
 * names the writer schema by fingerprint only, so a record written with a schema the job does not
 * know cannot be decoded (an {@code UNKNOWN_SCHEMA} dead letter); with the producer's schema in
 * the directory it is resolved against the job's (Avro schema resolution: a newer enum symbol
 * reads as the enum's default, an added field is ignored, a removed one takes its default).
 *
 * <p>Read once at job start, on the client, and shipped with the doors as text: TaskManagers need
 * not see the directory.
 */
public final class WriterSchemas {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WriterSchemas.class);

    private WriterSchemas() {}

    /**
     * Reads every {@code *.avsc} file of {@code dir} (not its subdirectories).
     *
     * @param dir the directory, or null for none
     * @param readers the job's input record schemas; each file must define one of them by full name
     *     and be readable by it
     * @return the schemas as JSON text, in file name order
     * @throws IllegalArgumentException naming the file when one does not parse, is not
     *     self-contained, names no input record, or cannot be resolved against the job's schema; or
     *     when the directory holds no schema
     */
    public static List<String> load(String dir, List<Schema> readers) {
        if (dir == null || dir.isBlank()) {
            return List.of();
        }
        Path root = Path.of(dir);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--writer-schemas " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".avsc"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --writer-schemas " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--writer-schemas " + dir + " holds no *.avsc file");
        }
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            Schema writer = parse(file);
            Schema reader = readers.stream()
                    .filter(r -> r.getFullName().equals(writer.getFullName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--writer-schemas: " + file + " defines "
                            + writer.getFullName() + ", not one of the input records "
                            + readers.stream().map(Schema::getFullName).toList()));
            var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IllegalArgumentException(
                        "--writer-schemas: the job cannot read records written with " + file + ": "
                                + String.join(
                                        "; ",
                                        compatibility.getResult().getIncompatibilities().stream()
                                                .map(i -> describe(i))
                                                .toList()));
            }
            out.add(writer.toString());
            LOG.info(
                    "--writer-schemas: {} ({}, fingerprint {}) accepted",
                    file,
                    writer.getFullName(),
                    Long.toHexString(org.apache.avro.SchemaNormalization.parsingFingerprint64(writer)));
        }
        return out;
    }

    /** One incompatibility in words: what is wrong, at which path of the writer schema. */
    private static String describe(SchemaCompatibility.Incompatibility i) {
        String what = switch (i.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE ->
                "the job needs field '" + i.getMessage() + "', which this schema does not have, and it has no default";
            case MISSING_ENUM_SYMBOLS -> "enum symbols the job does not know and no enum default: " + i.getMessage();
            case TYPE_MISMATCH -> i.getMessage();
            default -> i.getType() + ": " + i.getMessage();
        };
        return what + " (at " + i.getLocation() + ")";
    }

    /** Parses one self-contained schema file; the message names the file and says what to do. */
    private static Schema parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--writer-schemas: cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("UnresolvedSchema")
                    || message.contains("is not a defined name")
                    || message.contains("Undefined name")) {
                throw new IllegalArgumentException(
                        "--writer-schemas: " + file + " refers to a type it does not define (e.g. "
                                + "EventType): give each file as one self-contained schema, every named type defined inline, as "
                                + "Schema.toString() of the producer's class writes it",
                        e);
            }
            throw new IllegalArgumentException(
                    "--writer-schemas: " + file + " is not a valid Avro schema: "
                            + message.replaceFirst("^([a-z0-9]+\\.)+[A-Za-z]+(Exception|Error): ", "")
                                    .replaceAll("(?s)\\s*at \\[Source.*", ""),
                    e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--writer-schemas: " + file + " is not an Avro schema (JSON expected)", e);
        }
    }

    /**
     * Earlier versions of the job's own input schemas, shipped in the jar ({@code
     * writer-schemas/*.avsc}), so records their producers still write keep decoding after a schema
     * change (DESIGN.md section 2): {@code ClickEvent} and {@code DwellEvent} before {@code kind},
     * {@code view_id} and {@code session_id}.
     */
    public static final List<String> SHIPPED = List.of(shipped("ClickEvent-1.avsc"), shipped("DwellEvent-1.avsc"));

    private static String shipped(String name) {
        try (var in = WriterSchemas.class.getResourceAsStream("/writer-schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("writer-schemas/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the schemas of {@code texts} and of {@link #SHIPPED} whose full name is {@code reader}'s */
    public static List<Schema> named(List<String> texts, Schema reader) {
        List<Schema> out = new ArrayList<>();
        List<String> all = new ArrayList<>(SHIPPED);
        all.addAll(texts);
        for (String text : all) {
            Schema s = new Schema.Parser().parse(text);
            if (s.getFullName().equals(reader.getFullName())) {
                out.add(s);
            }
        }
        return out;
    }
}
