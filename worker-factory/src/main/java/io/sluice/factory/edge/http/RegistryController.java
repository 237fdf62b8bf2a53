package io.sluice.factory.edge.http;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.factory.domain.TargetCatalog;
import io.sluice.factory.store.NodeStore;
import io.sluice.factory.store.WorkerStore;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;

/** The read-only view of the factory: its targets, its node registry and the workers it placed. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class RegistryController {

    private static final int DEFAULT_WORKERS = 200;

    private final DataSource dataSource;
    private final TargetCatalog targets;
    private final NodeStore nodeStore;
    private final WorkerStore workerStore;

    public RegistryController(DataSource dataSource, TargetCatalog targets, NodeStore nodeStore,
                              WorkerStore workerStore) {
        this.dataSource = dataSource;
        this.targets = targets;
        this.nodeStore = nodeStore;
        this.workerStore = workerStore;
    }

    @Get("/targets")
    public List<TargetView> targets() {
        return targets.targets().stream().map(TargetView::of).toList();
    }

    @Get("/nodes")
    public List<NodeView> nodes() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return nodeStore.allWithUsage(connection).stream().map(NodeView::of).toList();
        }
    }

    /** The most recently placed workers first; {@code limit} of them (200 unless asked). */
    @Get("/workers{?limit}")
    public List<WorkerView> workers(@Nullable @QueryValue Integer limit) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return workerStore.latest(connection, limit == null || limit < 1 ? DEFAULT_WORKERS : limit).stream()
                    .map(WorkerView::of).toList();
        }
    }
}
