package io.sluice.jobs.domain;

/** A resource type a resource well declared and has not retired, with the privilege it requires (null for none). */
public record DeclaredResourceType(String name, String privilege) {

    public DeclaredResourceType {
        privilege = privilege == null || privilege.isBlank() ? null : privilege;
    }
}
