package dev.braid.polyglot;

/**
 * Where a host shows the progress bars its guests make ({@code braid.progress}): a front end
 * draws them on its terminal, an embedding shows them its way or not at all. The default,
 * {@link #NONE}, shows nothing: a job whose standard error is not a terminal stays quiet.
 * Called from the guests' strands; an implementation must be thread-safe and quick.
 */
public interface ProgressDisplay {
    /** Shows nothing. */
    ProgressDisplay NONE = (label, total) -> new Bar() {
        @Override
        public void update(long done) {
        }

        @Override
        public void done() {
        }
    };

    /** A new bar, {@code total} steps long ({@code <= 0}: unknown), shown with {@code label}. */
    Bar open(String label, long total);

    /** One bar. */
    interface Bar {
        /** {@code done} steps of the total are done. */
        void update(long done);

        /** The work ended: the bar is drawn once more, complete, and then left alone. */
        void done();
    }
}
