package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterSchemasTest {
    static final List<Schema> READERS = List.of(ClickEvent.getClassSchema(), DwellEvent.getClassSchema());

    @TempDir
    Path dir;

    static String withBookmark() {
        return ClickEvent.getClassSchema()
                .toString()
                .replace("\"SHARE\",\"OTHER\"]", "\"SHARE\",\"OTHER\",\"BOOKMARK\"]");
    }

    @Test
    void aSelfContainedNewerSchemaIsAccepted() throws Exception {
        Files.writeString(dir.resolve("click.avsc"), withBookmark());
        Files.writeString(dir.resolve("notes.txt"), "not a schema, not read");
        List<String> loaded = WriterSchemas.load(dir.toString(), READERS);
        assertThat(loaded).hasSize(1);
        // the file's schema plus the shipped earlier ClickEvent (ClickEvent-1.avsc); DwellEvent: the shipped one only
        assertThat(WriterSchemas.named(loaded, ClickEvent.getClassSchema())).hasSize(2);
        assertThat(WriterSchemas.named(loaded, DwellEvent.getClassSchema())).hasSize(1);
    }

    @Test
    void recordsOfTheFirstInputSchemasStillDecode() throws Exception {
        // A DwellEvent written before kind, view_id and session_id: it reads as a DWELL, view_id null.
        Schema v1 = new Schema.Parser().parse(WriterSchemas.SHIPPED.get(1));
        GenericRecord old = new GenericData.Record(v1);
        old.put("event_id", "e1");
        old.put("user_id", "u1");
        old.put("event_time", 1_000L);
        old.put("item_id", "a");
        old.put("dwell_ms", 12_000L);
        old.put("topics", List.of());
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1)
                .encode(old)
                .array();
        DwellEvent read = new SingleObjectReader<>(
                        DwellEvent.class, WriterSchemas.named(List.of(), DwellEvent.getClassSchema()))
                .read(bytes);
        assertThat(read.getKind()).isEqualTo(DwellKind.DWELL);
        assertThat(read.getDwellMs()).isEqualTo(12_000L);
        assertThat(read.getViewId()).isNull();
    }

    @Test
    void theProjectsOwnSplitSchemaFileSaysWhatToDo() throws Exception {
        // schemas/ClickEvent.avsc names EventType, defined in another file
        Files.writeString(dir.resolve("ClickEvent.avsc"), Files.readString(Path.of("../schemas/ClickEvent.avsc")));
        assertThatThrownBy(() -> WriterSchemas.load(dir.toString(), READERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ClickEvent.avsc refers to a type it does not define")
                .hasMessageContaining("self-contained");
    }

    @Test
    void unreadableFilesAndSchemasAreUsageErrorsNamingTheFile() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.avsc"), "this is not json");
        assertThatThrownBy(() -> WriterSchemas.load(dir.toString(), READERS))
                .hasMessageStartingWith(
                        "--writer-schemas: " + notJson + " is not a valid Avro schema: Unrecognized token 'this'")
                .hasMessageNotContaining("com.fasterxml")
                .hasMessageNotContaining("[Source");
        Files.delete(notJson);
        Schema noEventId = new Schema.Parser()
                .parse(ClickEvent.getClassSchema()
                        .toString()
                        .replace("\"name\":\"event_id\"", "\"name\":\"renamed_id\""));
        assertThat(noEventId.getField("event_id")).isNull();
        Files.writeString(dir.resolve("b.avsc"), noEventId.toString());
        assertThatThrownBy(() -> WriterSchemas.load(dir.toString(), READERS))
                .hasMessageContaining(
                        "the job needs field 'event_id', which this schema does not have, and it has no default");
    }

    @Test
    void anEmptyDirectoryOrAMissingOneIsAUsageError() {
        assertThatThrownBy(() -> WriterSchemas.load(dir.toString(), READERS))
                .hasMessageEndingWith("holds no *.avsc file");
        assertThatThrownBy(() -> WriterSchemas.load(dir.resolve("nope").toString(), READERS))
                .hasMessageEndingWith("is not a directory");
        assertThat(WriterSchemas.load(null, READERS)).isEmpty();
    }
}
