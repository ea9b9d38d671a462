package tracker.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tracker.ExitCode;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.store.Database;
import tracker.store.GarbageCollector;
import tracker.util.Plurals;

@Command(name = "gc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Remove what no experiment references: runs, metrics, steps, results, queues, trials and rungs of experiment "
                + "versions that do not exist (left by a write that raced a delete), and finish deletes that were cut short. "
                + "Says what it found and how much it freed (documents per collection; bytes as stored in BSON).",
                "Safe while other experiments are created and run: it never removes documents of an experiment that exists, "
                        + "and claims an orphaned id (so a create of it waits) before removing anything of it.",
                "",
                "Examples:",
                "  tracker gc --dry-run",
                "  tracker gc -o json"})
public final class GcCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Option(names = {"-n", "--dry-run"}, description = "Only say what would be removed; write nothing.")
    boolean dryRun;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        GarbageCollector.Collected c = new GarbageCollector(db).collect(dryRun);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dryRun", dryRun);
        m.put("orphaned", c.orphans());
        m.put("finishedDeletes", c.finished());
        m.put("removed", c.removed().documents());
        m.put("bytes", c.removed().bytes());
        m.put("totalBytes", c.removed().totalBytes());
        String verb = dryRun ? "would remove " : "removed ";
        cli.note("found " + Plurals.count(c.orphans().size(), "orphaned experiment id") + c.orphans().stream().map(s -> " " + s)
                .reduce("", String::concat) + " and " + Plurals.count(c.finished().size(), "delete") + " to finish"
                + c.finished().stream().map(s -> " " + s).reduce("", String::concat) + "; " + verb + Removals.sentence(c.removed()));
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(m));
        } else {
            Removals.table(c.removed()).print(cli.out());
        }
        cli.out().flush();
        return ExitCode.OK;
    }
}
