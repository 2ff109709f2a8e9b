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
  private WriterSchemas() {}

  /**
   * Reads every {@code *.avsc} file of {@code dir} (not its subdirectories).
   *
   * @param dir the directory, or null for none
   * @param readers the job's input record schemas; each file must define one of them by full name
   *     and be readable by it
   * @return the schemas as JSON text, in file name order
   * @throws IllegalArgumentException naming the file when one does not parse, names no input
   *     record, or cannot be resolved against the job's schema
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
      files = list.filter(p -> p.getFileName().toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list --writer-schemas " + dir, e);
    }
    List<String> out = new ArrayList<>();
    for (Path file : files) {
      Schema writer;
      try {
        writer = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException | SchemaParseException e) {
        throw new IllegalArgumentException("--writer-schemas: " + file + " is not an Avro schema: " + e.getMessage(), e);
      }
      Schema reader = readers.stream().filter(r -> r.getFullName().equals(writer.getFullName())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--writer-schemas: " + file + " defines " + writer.getFullName()
              + ", not one of the input records " + readers.stream().map(Schema::getFullName).toList()));
      var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new IllegalArgumentException("--writer-schemas: the job cannot read records written with " + file + ": "
            + compatibility.getResult().getIncompatibilities().stream().map(i -> i.getMessage() + " at " + i.getLocation())
                .toList());
      }
      out.add(writer.toString());
    }
    return out;
  }

  /** @return the schemas of {@code texts} whose full name is {@code reader}'s */
  public static List<Schema> named(List<String> texts, Schema reader) {
    List<Schema> out = new ArrayList<>();
    for (String text : texts) {
      Schema s = new Schema.Parser().parse(text);
      if (s.getFullName().equals(reader.getFullName())) {
        out.add(s);
      }
    }
    return out;
  }
}
