package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.attentionanalytics.replay.DatasetReaderTest.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.attentionanalytics.avro.ContentProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CatalogCsvTest {

    // catalog.csv: a1 has three rows (one after n7's first), n7 two (one with an empty weight: 1.0);
    // "bad" has an empty topic and x9 a negative weight: 2 of 7 rows skipped.
    @Test
    void rowsOfAnItemMakeOneProfile() throws Exception {
        CatalogCsv.Result r = CatalogCsv.read(fixture("catalog.csv"));
        assertThat(r.rows()).isEqualTo(7);
        assertThat(r.skippedRows()).isEqualTo(2);
        assertThat(r.profiles()).extracting(ContentProfile::getItemId).containsExactly("a1", "n7");
        assertThat(r.profiles().get(0).getTopics())
                .isEqualTo(Map.of("appliances.kitchen.kettle", 3.0, "appliances.kitchen.toaster", 1.0, "home", 2.0));
        assertThat(r.profiles().get(1).getTopics()).isEqualTo(Map.of("news.politics", 1.0, "news.economy", 0.5));
        assertThat(r.profiles().get(0).getTitle()).isNull();
        assertThat(r.profiles().get(0).getUpdatedAt()).isNull();
    }

    @Test
    void theWeightColumnIsOptionalAndRepeatedTopicsAdd(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "Topic,Item_ID,title\nsports,i1,x\nnews,i1,y\nsports,i1,z\n");
        CatalogCsv.Result r = CatalogCsv.read(csv);
        assertThat(r.profiles()).hasSize(1);
        assertThat(r.profiles().get(0).getTopics()).isEqualTo(Map.of("sports", 2.0, "news", 1.0));
    }

    @Test
    void aHeaderWithoutItemIdOrTopicIsRejected(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "item,topic\ni1,sports\n");
        assertThatThrownBy(() -> CatalogCsv.read(csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item_id and topic");
    }

    @Test
    void theOptionTakesCsvPath() {
        ReplayOptions o = ReplayOptions.parse("--catalog", "csv:/data/cat:alog.csv");
        assertThat(o.catalog.path()).isEqualTo(Path.of("/data/cat:alog.csv"));
        assertThat(o.dataset).isNull();
        assertThatThrownBy(() -> ReplayOptions.parse("--catalog", "parquet:/x"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("expected csv:PATH");
        assertThatThrownBy(() -> ReplayOptions.parse("--catalog", "/x.csv"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
