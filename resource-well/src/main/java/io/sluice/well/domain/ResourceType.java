package io.sluice.well.domain;

import java.time.Duration;

/**
 * A kind of resource the well hands out: how many instances may exist at once, the privilege a job's owner needs
 * to ask for one, which provisioner makes them, and how long one may live at most.
 */
public record ResourceType(String name, int capacity, String privilege, String provisioner, Duration maxLifetime) {
}
