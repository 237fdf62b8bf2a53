package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rules every schema of the contract follows, checked over every type reachable from each topic's envelope. */
class ContractRulesTest {

    /** People writing other services and other languages' clients read the contract: everything says what it is. */
    @ParameterizedTest
    @EnumSource(Topic.class)
    void every_record_enum_and_field_has_a_doc(Topic topic) {
        List<String> undocumented = new ArrayList<>();
        visit(topic.valueSchema(), topic.valueSchema().getFullName(), false, new HashSet<>(), (schema, path, inArray) -> {
            if (schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM) {
                requireDoc(schema.getDoc(), schema.getFullName(), undocumented);
            }
            if (schema.getType() == Schema.Type.RECORD) {
                schema.getFields().forEach(field ->
                        requireDoc(field.doc(), schema.getFullName() + "." + field.name(), undocumented));
            }
        });

        assertThat(undocumented).as("undocumented in %s", topic.topicName()).isEmpty();
    }

    /**
     * Avro 1.12 compares the elements of a decoded array without the logical type conversions
     * ({@code GenericData.AbstractArray.equals} uses {@code GenericData.get()}), so {@code equals} of a decoded event
     * with an Instant or UUID inside an array element throws: keep logical types out of array elements.
     */
    @ParameterizedTest
    @EnumSource(Topic.class)
    void no_logical_type_inside_an_array_element(Topic topic) {
        List<String> offending = new ArrayList<>();
        visit(topic.valueSchema(), topic.valueSchema().getFullName(), false, new HashSet<>(), (schema, path, inArray) -> {
            if (inArray && schema.getLogicalType() != null) {
                offending.add(path + " (" + schema.getLogicalType().getName() + ")");
            }
        });

        assertThat(offending).as("logical types inside array elements of %s", topic.topicName()).isEmpty();
    }

    private interface Visitor {
        void visit(Schema schema, String path, boolean inArray);
    }

    private static void visit(Schema schema, String path, boolean inArray, Set<String> seen, Visitor visitor) {
        visitor.visit(schema, path, inArray);
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName() + inArray)) {
                    schema.getFields().forEach(field ->
                            visit(field.schema(), path + "." + field.name(), inArray, seen, visitor));
                }
            }
            case UNION -> schema.getTypes().forEach(type -> visit(type, path, inArray, seen, visitor));
            case ARRAY -> visit(schema.getElementType(), path + "[]", true, seen, visitor);
            case MAP -> visit(schema.getValueType(), path + "{}", inArray, seen, visitor);
            default -> { }
        }
    }

    private static void requireDoc(String doc, String what, List<String> undocumented) {
        if (doc == null || doc.isBlank()) {
            undocumented.add(what);
        }
    }
}
