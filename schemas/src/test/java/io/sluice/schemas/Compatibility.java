package io.sluice.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/** Whether a reader schema reads what a writer schema wrote, with the problems said briefly (no schema dumps). */
final class Compatibility {

    private Compatibility() {
    }

    /** The reasons the reader cannot read what the writer wrote; empty when it can. */
    static List<String> problems(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .stream().flatMap(problem -> explain(problem).stream()).toList();
    }

    /**
     * Avro reports any change inside an event record as "reader union lacking writer type: RECORD" at the union:
     * say instead what changed inside the record, or which event type the reader lacks altogether.
     */
    private static List<String> explain(Incompatibility problem) {
        Schema readerUnion = problem.getReaderFragment();
        Schema writer = problem.getWriterFragment();
        if (problem.getType() != SchemaIncompatibilityType.MISSING_UNION_BRANCH
                || readerUnion.getType() != Schema.Type.UNION) {
            return List.of(describe(problem));
        }
        List<String> explained = new ArrayList<>();
        for (Schema writerType : writer.getType() == Schema.Type.UNION ? writer.getTypes() : List.of(writer)) {
            Optional<Schema> sameName = readerUnion.getTypes().stream()
                    .filter(branch -> isNamed(branch) && isNamed(writerType)
                            && branch.getFullName().equals(writerType.getFullName()))
                    .findFirst();
            if (sameName.isPresent()) {
                problems(sameName.get(), writerType).forEach(inner ->
                        explained.add("in " + writerType.getName() + " (" + problem.getLocation() + "): " + inner));
            } else if (readerUnion.getTypes().stream().noneMatch(branch -> problems(branch, writerType).isEmpty())) {
                explained.add(describe(problem) + " (the reader has no " + writerType.getName() + ")");
            }
        }
        return explained.isEmpty() ? List.of(describe(problem)) : explained;
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static String describe(Incompatibility problem) {
        return problem.getType() + " at " + problem.getLocation() + ": " + problem.getMessage();
    }
}
