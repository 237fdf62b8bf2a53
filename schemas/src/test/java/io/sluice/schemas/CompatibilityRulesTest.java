package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The evolution rules README.md states, shown on a small record: what the compatibility check lets through. */
class CompatibilityRulesTest {

    private static final Schema BEFORE = parse("""
            {"type": "record", "name": "E", "fields": [
              {"name": "payload", "type": [
                {"type": "record", "name": "A", "fields": [{"name": "id", "type": "string"}]}]},
              {"name": "kind", "type": {"type": "enum", "name": "K", "symbols": ["X", "OTHER"], "default": "OTHER"}}
            ]}""");

    @Test
    void adding_an_optional_field_with_a_default_is_compatible_both_ways() {
        Schema after = parse(BEFORE.toString().replace("""
                {"name":"id","type":"string"}""", """
                {"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}"""));

        assertThat(Compatibility.problems(after, BEFORE)).isEmpty();
        assertThat(Compatibility.problems(BEFORE, after)).isEmpty();
    }

    @Test
    void adding_a_field_without_a_default_breaks_reading_old_data() {
        Schema after = parse(BEFORE.toString().replace("""
                {"name":"id","type":"string"}""", """
                {"name":"id","type":"string"},{"name":"note","type":"string"}"""));

        assertThat(Compatibility.problems(after, BEFORE)).singleElement().asString()
                .startsWith("in A (/fields/0/type/0): READER_FIELD_MISSING_DEFAULT_VALUE").contains("note");
    }

    @Test
    void adding_an_enum_symbol_is_compatible_both_ways_when_the_enum_has_a_default() {
        Schema after = parse(BEFORE.toString().replace("""
                "symbols":["X","OTHER"]""", """
                "symbols":["X","Y","OTHER"]"""));

        assertThat(Compatibility.problems(after, BEFORE)).isEmpty();
        assertThat(Compatibility.problems(BEFORE, after)).isEmpty();
    }

    @Test
    void adding_an_event_type_is_not_forward_compatible_old_readers_cannot_read_it() {
        Schema after = parse(BEFORE.toString().replace("""
                {"type":"record","name":"A","fields":[{"name":"id","type":"string"}]}""", """
                {"type":"record","name":"A","fields":[{"name":"id","type":"string"}]},\
                {"type":"record","name":"B","fields":[{"name":"id","type":"string"}]}"""));

        assertThat(Compatibility.problems(after, BEFORE)).isEmpty();
        assertThat(Compatibility.problems(BEFORE, after)).singleElement().asString()
                .startsWith("MISSING_UNION_BRANCH").endsWith("(the reader has no B)");
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
