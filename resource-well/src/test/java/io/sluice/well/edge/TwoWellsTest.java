package io.sluice.well.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.GrantedResource;
import io.sluice.testing.IsolatedScopeExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances of the well on one schema and one consumer group stay correct, also when one of them stops. */
class TwoWellsTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private static final Map<String, Object> TYPES = Map.of(
            "sluice.well.types.red.provisioner", "semaphore",
            "sluice.well.types.green.provisioner", "semaphore",
            "sluice.well.types.blue.provisioner", "semaphore");

    @Test
    void every_demand_is_granted_once_in_order_and_no_type_ever_has_two_holders() {
        try (WellHarness one = new WellHarness(SCOPE.get(), TYPES);
             WellHarness two = new WellHarness(SCOPE.get(), TYPES)) {
            List<String> types = List.of("red", "green", "blue");
            for (int job = 0; job < 4; job++) {
                for (String type : types) {
                    one.jobDemands(type + "-" + job, type);
                }
            }
            for (int job = 0; job < 4; job++) {
                if (job == 2) {
                    one.close(); // the other instance carries on with its partitions and the queues
                }
                List<GrantedResource> held = new ArrayList<>();
                for (String type : types) {
                    String jobId = type + "-" + job;
                    held.add(two.awaitGranted(jobId));
                    two.awaitHandled(type);
                    for (int later = job + 1; later < 4; later++) {
                        assertThat(two.grantsOf(type + "-" + later)).as(type + "-" + later + " while " + jobId
                                + " holds the only slot").isEmpty();
                    }
                }
                for (int i = 0; i < types.size(); i++) {
                    two.jobReleases(types.get(i) + "-" + job, held.get(i));
                }
            }
            for (String type : types) {
                for (int job = 0; job < 4; job++) {
                    assertThat(two.grantsOf(type + "-" + job)).as(type + "-" + job).hasSize(1);
                }
            }
        }
    }
}
