package org.attentionanalytics.local;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C as the normal end of a live local run: the first SIGINT stops the run (the traffic, the
 * job, the broker, in this order) before the JVM's shutdown begins, then exits with code 0.
 * The JVM's own handler exits with 130 (128 + SIGINT) and leaves the stopping to the shutdown
 * hooks, which run side by side. A second Ctrl-C while the run stops exits as the JVM would, with
 * {@link #EXIT_INTERRUPTED}.
 */
final class CtrlC {
    /** 128 + SIGINT, the JVM's and the shells' exit code of a process ended by Ctrl-C. */
    static final int EXIT_INTERRUPTED = 130;

    private CtrlC() {}

    /**
     * Installs the handler.
     *
     * @param stop stops the run (returns when everything is stopped)
     * @return puts the previous handler back; a no-op when SIGINT is ignored (a process started in
     *     the background by a shell), which then stays ignored
     */
    static Runnable stopsWithExitZero(Runnable stop) {
        Signal sigint = new Signal("INT");
        AtomicBoolean first = new AtomicBoolean(true);
        try {
            SignalHandler previous = Signal.handle(sigint, signal -> {
                if (first.getAndSet(false)) {
                    stop.run();
                    System.exit(0);
                } else {
                    System.exit(EXIT_INTERRUPTED);
                }
            });
            return () -> Signal.handle(sigint, previous);
        } catch (IllegalArgumentException e) {
            return () -> {};
        }
    }
}
