package tracker.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM for the time a worker runs: each one calls the handler (with "INT" or
 * "TERM") instead of ending the JVM, so the runs in flight can be preempted properly. The JDK has
 * no public API for this; sun.misc.Signal (module jdk.unsupported) is the one every JVM and
 * native-image supports. Closing puts the previous handlers back.
 */
public final class Signals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Signals() {
    }

    /** Installs the handler where the JVM allows it (not under -Xrs, not for a signal ignored by nohup). */
    public static Signals install(Consumer<String> handler) {
        Signals s = new Signals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                SignalHandler old = Signal.handle(sig, x -> handler.accept(name));
                if (old == SignalHandler.SIG_IGN) {
                    Signal.handle(sig, old); // ignored when we started (nohup, &): keep it ignored
                    continue;
                }
                s.signals.add(sig);
                s.previous.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM reserves it: the default behaviour (exit) stays
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
