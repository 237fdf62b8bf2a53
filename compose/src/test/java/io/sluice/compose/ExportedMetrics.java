package io.sluice.compose;

import java.util.Set;

/**
 * The metric names the stack's Prometheus holds, as the dashboard may use them. Keep it to names something really
 * exports: a dashboard panel over a name nobody exports shows "No data" forever, and nothing else would notice.
 */
final class ExportedMetrics {

    /** Written by Prometheus itself for every scrape target. */
    static final Set<String> PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    /**
     * Every service's /prometheus: Micrometer's JVM, process and system binders and Micronaut's HTTP server timer
     * (a summary without histogram buckets), as micronaut-parent 4.10.8 with micronaut-micrometer-registry-prometheus
     * exports them under the services' application.yml.
     */
    static final Set<String> MICROMETER = Set.of(
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_buffer_count_buffers", "jvm_buffer_memory_used_bytes", "jvm_buffer_total_capacity_bytes",
            "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max",
            "jvm_gc_memory_allocated_bytes_total", "jvm_gc_memory_promoted_bytes_total",
            "jvm_gc_live_data_size_bytes", "jvm_gc_max_data_size_bytes",
            "jvm_threads_live_threads", "jvm_threads_daemon_threads", "jvm_threads_peak_threads",
            "jvm_threads_states_threads", "jvm_classes_loaded_classes", "jvm_classes_unloaded_classes_total",
            "process_cpu_usage", "process_cpu_time_ns_total", "process_uptime_seconds", "process_start_time_seconds",
            "process_files_open_files", "process_files_max_files",
            "system_cpu_usage", "system_cpu_count", "system_load_average_1m",
            "logback_events_total",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max");

    /**
     * The shared plumbing's own metrics (bus module, BusMetrics). Outcomes of consumed events: applied, duplicate,
     * dead_lettered.
     */
    static final Set<String> SLUICE = Set.of(
            "sluice_events_consumed_total", "sluice_outbox_published_total", "sluice_outbox_unpublished");

    /**
     * The resource well's meters (resource-well, WellMetrics; WellApiTest reads them off a running well): gauges per
     * type (and state), timers with histogram buckets, a counter of failures by kind.
     */
    static final Set<String> WELL = Set.of(
            "sluice_well_capacity", "sluice_well_instances", "sluice_well_demands_queued",
            "sluice_well_queue_wait_seconds_bucket", "sluice_well_queue_wait_seconds_count",
            "sluice_well_queue_wait_seconds_sum", "sluice_well_queue_wait_seconds_max",
            "sluice_well_provision_duration_seconds_bucket", "sluice_well_provision_duration_seconds_count",
            "sluice_well_provision_duration_seconds_sum", "sluice_well_provision_duration_seconds_max",
            "sluice_well_release_duration_seconds_bucket", "sluice_well_release_duration_seconds_count",
            "sluice_well_release_duration_seconds_sum", "sluice_well_release_duration_seconds_max",
            "sluice_well_failures_total");

    private ExportedMetrics() {
    }

    static boolean exported(String name) {
        return PROMETHEUS.contains(name) || MICROMETER.contains(name) || SLUICE.contains(name) || WELL.contains(name);
    }
}
