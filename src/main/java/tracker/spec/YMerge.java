package tracker.spec;

import java.util.LinkedHashMap;
import java.util.Map;

import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;

/**
 * How a definition is layered from parts ({@code include:}, {@code extends:}, {@code --set}): the
 * later part wins; mappings merge key by key, all the way down; anything else - a list, a value -
 * is replaced whole; an empty value ({@code key: ~}) removes what the earlier part said. So a
 * variant overrides one field of a parameter's range without repeating the others, and lists
 * (datasets, values) never mix two files' entries in an order nobody wrote.
 */
final class YMerge {
    private YMerge() {
    }

    /** {@code over} laid on {@code base}; the result has {@code over}'s place, each entry its own. */
    static YMap merge(YMap base, YMap over) {
        Map<String, YNode.Entry> out = new LinkedHashMap<>(base.entries());
        for (YNode.Entry e : over.entries().values()) {
            String key = e.key().text();
            YNode.Entry was = out.get(key);
            if (was != null && removes(e.value())) {
                out.remove(key);
            } else if (was != null && was.value() instanceof YMap b && e.value() instanceof YMap o) {
                out.put(key, new YNode.Entry(e.key(), merge(b, o)));
            } else {
                out.remove(key); // the later part's entry goes where it wrote it, after the earlier ones
                out.put(key, e);
            }
        }
        return new YMap(out, over.line(), over.column(), over.origin());
    }

    /** {@code key: ~}, {@code key: null} or {@code key:}: what an earlier part said of key is taken away. */
    static boolean removes(YNode value) {
        return value == null || (value instanceof YScalar s && s.value() == null);
    }
}
