package tracker.cli;

import java.util.List;
import java.util.Map;

import tracker.output.Table;
import tracker.store.Lifecycle;
import tracker.util.Plurals;

/** How delete and gc show what they removed: per kind of document, with bytes. */
final class Removals {
    /** The words for each collection's documents, as a person counts them. */
    private static final Map<String, String[]> KINDS = Map.of(
            "experiments", new String[] {"experiment", "experiments"},
            "runs", new String[] {"run", "runs"},
            "metrics", new String[] {"metric epoch", "metric epochs"},
            "steps", new String[] {"metric step", "metric steps"},
            "results", new String[] {"results page", "results pages"},
            "cells", new String[] {"queue", "queues"},
            "trials", new String[] {"adaptive trial", "adaptive trials"},
            "rungs", new String[] {"rung page", "rung pages"});

    private Removals() {
    }

    static String sentence(Lifecycle.Removed r) {
        StringBuilder b = new StringBuilder();
        r.documents().forEach((coll, n) -> {
            if (n > 0) {
                String[] w = KINDS.getOrDefault(coll, new String[] {coll + " document", coll + " documents"});
                b.append(b.isEmpty() ? "" : ", ").append(Plurals.count(n, w[0], w[1]));
            }
        });
        return (b.isEmpty() ? "nothing" : b.toString()) + " (" + bytes(r.totalBytes()) + ")";
    }

    static Table table(Lifecycle.Removed r) {
        Table t = new Table(List.of("COLLECTION", "DOCUMENTS", "BYTES")).alignRightFrom(1);
        r.documents().forEach((coll, n) -> t.row(List.of(coll, n, r.bytes().getOrDefault(coll, 0L))));
        t.row(List.of("total", r.totalDocuments(), r.totalBytes()));
        return t;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return Plurals.count(n, "byte");
        }
        return n < 1024 * 1024 ? String.format("%.1f KiB", n / 1024.0) : String.format("%.1f MiB", n / 1024.0 / 1024.0);
    }
}
