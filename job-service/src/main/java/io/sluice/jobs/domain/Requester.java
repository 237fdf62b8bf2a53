package io.sluice.jobs.domain;

import java.util.Optional;

/**
 * Who a request comes from, as far as intake could establish it: an owner whose registered key signed it, or
 * nobody it can name (with why); or, where signatures are not required, whoever the request claims.
 */
public sealed interface Requester {

    /** The privilege that lets an owner cancel any owner's job. */
    String ADMIN = "admin";

    /** Why the request may not act as {@code claimed}, if it may not. */
    Optional<String> refusalToActAs(String claimed);

    /** Signed by a key registered for {@code owner}. */
    record Signed(String owner) implements Requester {
        @Override
        public Optional<String> refusalToActAs(String claimed) {
            return owner.equals(claimed) ? Optional.empty()
                    : Optional.of("signed by a key of owner '" + owner + "', not of '" + claimed + "'");
        }
    }

    /** Not attributable to any owner. */
    record Unattributed(String why) implements Requester {
        @Override
        public Optional<String> refusalToActAs(String claimed) {
            return Optional.of(why);
        }
    }

    /** Signatures are not required: the request is taken as coming from whom it claims. */
    record Trusted() implements Requester {
        @Override
        public Optional<String> refusalToActAs(String claimed) {
            return Optional.empty();
        }
    }
}
