package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed table of single-object headers (docs/schemas/headers.md) is the one the released schemas give. */
class SchemaHeaderTableTest {

    private static final Path COMMITTED = Path.of("..").resolve(SchemaHeaderTable.TABLE);

    @Test
    void the_committed_header_table_is_the_one_the_released_schemas_give() throws Exception {
        assertThat(COMMITTED).as("%s: run %s", SchemaHeaderTable.TABLE, SchemaHeaderTable.REGENERATE).exists();

        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("%s is out of date with versions.txt and the released files: run %s and commit it",
                        SchemaHeaderTable.TABLE, SchemaHeaderTable.REGENERATE)
                .isEqualTo(SchemaHeaderTable.render(Path.of(".")));
    }

    @Test
    void every_schema_the_jar_releases_has_its_row_with_its_fingerprint() throws Exception {
        String table = SchemaHeaderTable.render(Path.of("."));
        for (Topic topic : Topic.values()) {
            for (ReleasedSchemas.Release release : ReleasedSchemas.of(topic)) {
                long fingerprint = SingleObjectEncoding.fingerprintOf(release.schema());
                assertThat(table).contains("| `" + topic.topicName() + "` | " + release.version() + " | `"
                        + SchemaHeaderTable.header(fingerprint) + "` | " + fingerprint + " |");
            }
        }
    }
}
