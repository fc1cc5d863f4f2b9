package dev.spectra.cli;

/** What the client tells about a job while it waits for it. */
interface Progress {

    /** The job as last seen. */
    void update(Job job);

    /** Stops drawing and leaves the line empty; safe to call more than once and from any thread. */
    void stop();

    static Progress none() {
        return new Progress() {
            @Override
            public void update(Job job) {}

            @Override
            public void stop() {}
        };
    }
}
