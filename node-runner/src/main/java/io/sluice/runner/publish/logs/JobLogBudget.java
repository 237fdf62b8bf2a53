package io.sluice.runner.publish.logs;

/** How many more bytes of a job's output may still be shipped; shared by all the job's processes. */
public final class JobLogBudget {

    private final long capBytes;
    private long remaining;
    private boolean exhausted;

    public JobLogBudget(long capBytes) {
        this(capBytes, 0, false);
    }

    /** A budget of which {@code takenBytes} were shipped before (by an earlier runner), and maybe all of it. */
    public JobLogBudget(long capBytes, long takenBytes, boolean exhausted) {
        this.capBytes = capBytes;
        this.remaining = Math.max(0, capBytes - takenBytes);
        this.exhausted = exhausted;
    }

    public long capBytes() {
        return capBytes;
    }

    /** Takes all that is left, as the job's log directory is full; false when the budget was exhausted before. */
    public synchronized boolean exhaust() {
        if (exhausted) {
            return false;
        }
        exhausted = true;
        remaining = 0;
        return true;
    }

    /**
     * Takes up to {@code wanted} bytes: returns how many may be shipped (fewer than wanted exactly once, when the
     * cap is reached: that chunk is the truncated one), or -1 once the cap was reached before.
     */
    public synchronized int take(int wanted) {
        if (exhausted) {
            return -1;
        }
        if (wanted <= remaining) {
            remaining -= wanted;
            return wanted;
        }
        exhausted = true;
        int allowed = (int) remaining;
        remaining = 0;
        return allowed;
    }
}
