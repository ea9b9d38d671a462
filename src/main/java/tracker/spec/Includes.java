package tracker.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.TrackerException;
import tracker.spec.YNode.YList;
import tracker.spec.YNode.YMap;
import tracker.spec.YNode.YScalar;

/**
 * {@code include: [common/datasets.yaml, spaces.yaml]}: a definition built on other files. Each
 * included file is a mapping of the same keys as a definition (usually a part of one: shared
 * suites, templates, a search section); the includes are laid on each other in the order listed
 * and the including file on top of them (see {@link YMerge}), so the file itself has the last word.
 * Paths are relative to the file that names them; included files may include others. Everything
 * is resolved before the definition is checked and hashed, so its identity does not depend on how
 * it was split into files.
 */
final class Includes {
    static final String KEY = "include";
    /** Deeper than any sensible layering; a deeper chain is almost surely a mistake. */
    static final int MAX_DEPTH = 16;
    /** Files read for one definition, counted with repeats (a file included from two places counts twice). */
    static final int MAX_FILES = 100;

    private final Problems problems;
    private int files;

    private Includes(Problems problems) {
        this.problems = problems;
    }

    /**
     * The definition with its includes laid underneath, recursively.
     *
     * @param file the path of the file {@code top} was read from, as the user named it; null when
     *             the text came without a file (through the API), where includes are refused
     */
    static YMap resolve(YMap top, Path file, Problems problems) {
        return new Includes(problems).resolve(top, file, new ArrayList<>(file == null ? List.of() : List.of(file.toAbsolutePath().normalize())));
    }

    private YMap resolve(YMap top, Path file, List<Path> chain) {
        YNode.Entry entry = top.entries().get(KEY);
        if (entry == null) {
            return top;
        }
        Map<String, YNode.Entry> rest = new LinkedHashMap<>(top.entries());
        rest.remove(KEY);
        YMap own = new YMap(rest, top.line(), top.column(), top.origin());
        if (YMerge.removes(entry.value())) {
            return own;
        }
        if (file == null) {
            problems.add(entry.key(), "include: names files next to the definition, and this definition came without one "
                    + "(sent to tracker serve): send the resolved definition instead, which 'tracker create FILE' in remote mode does");
            return own;
        }
        List<YNode> items = entry.value() instanceof YList l ? l.items() : List.of(entry.value());
        YMap base = null;
        for (YNode item : items) {
            YMap included = read(item, file, chain);
            if (included != null) {
                base = base == null ? included : YMerge.merge(base, included);
            }
        }
        return base == null ? own : YMerge.merge(base, own);
    }

    /** One included file, its own includes resolved; null (with a problem recorded) when it cannot be. */
    private YMap read(YNode item, Path from, List<Path> chain) {
        if (!(item instanceof YScalar s) || !(s.value() instanceof String name) || name.isBlank()) {
            problems.add(item, "include: takes file paths (relative to this file), not " + Fields.article(item.kind()));
            return null;
        }
        Path parent = from.getParent();
        Path path = (parent == null ? Path.of(name) : parent.resolve(name)).normalize();
        Path absolute = path.toAbsolutePath().normalize();
        if (chain.contains(absolute)) {
            List<String> names = new ArrayList<>();
            for (Path p : chain.subList(chain.indexOf(absolute), chain.size())) {
                names.add(p.getFileName().toString());
            }
            names.add(absolute.getFileName().toString());
            problems.add(item, "include cycle: " + String.join(" -> ", names) + "; a file cannot include itself, even through others");
            return null;
        }
        if (chain.size() >= MAX_DEPTH) {
            problems.add(item, "includes nest deeper than " + MAX_DEPTH + " files; flatten the chain");
            return null;
        }
        if (++files > MAX_FILES) {
            problems.add(item, "a definition may be built from at most " + MAX_FILES + " included files");
            return null;
        }
        String text;
        try {
            text = DefinitionFile.read(path);
        } catch (DefinitionException e) {
            e.problems().forEach(p -> problems.add(item, "include '" + name + "': " + p));
            return null;
        } catch (TrackerException e) {
            problems.add(item, "cannot include '" + name + "': " + e.getMessage().replaceFirst("^cannot read ", "")
                    + " (paths are relative to the file that names them)");
            return null;
        }
        YNode root = YamlReader.read(text, path.toString(), problems);
        if (root == null) {
            if (text.isBlank()) {
                problems.add(item, "the included file '" + name + "' is empty");
            }
            return null;
        }
        if (!(root instanceof YMap map)) {
            problems.add(root, "an included file must be a mapping (the keys of a definition), not " + Fields.article(root.kind()));
            return null;
        }
        chain.add(absolute);
        try {
            return resolve(map, path, chain);
        } finally {
            chain.remove(chain.size() - 1);
        }
    }
}
