package io.sluice.bus.micronaut;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.sluice.bus.supervise.PlumbingSupervisor;
import jakarta.inject.Singleton;

/** Starts the plumbing once the service's context is up; it stops with the context (the supervisor's close). */
@Singleton
public class PlumbingStarter implements ApplicationEventListener<StartupEvent> {

    private final PlumbingSupervisor supervisor;

    public PlumbingStarter(PlumbingSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        supervisor.start();
    }
}
