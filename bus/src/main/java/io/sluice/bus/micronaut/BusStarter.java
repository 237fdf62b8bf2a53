package io.sluice.bus.micronaut;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.sluice.bus.supervise.BusSupervisor;
import jakarta.inject.Singleton;

/** Starts the plumbing once the service's context is up; it stops with the context (the supervisor's close). */
@Singleton
public class BusStarter implements ApplicationEventListener<StartupEvent> {

    private final BusSupervisor supervisor;

    public BusStarter(BusSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        supervisor.start();
    }
}
