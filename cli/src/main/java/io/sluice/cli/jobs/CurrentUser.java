package io.sluice.cli.jobs;

/** Who is running the cli, as the default owner of a job and requester of a cancel. */
public final class CurrentUser {

    private static final String FALLBACK = "user";

    private CurrentUser() {
    }

    /** {@code $USER}, else {@code user.name}, else "user". */
    public static String name() {
        String user = System.getenv("USER");
        if (user == null || user.isBlank()) {
            user = System.getProperty("user.name");
        }
        return user == null || user.isBlank() ? FALLBACK : user;
    }
}
