package tracker.cli.keys;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tracker.ExitCode;
import tracker.cli.Cli;
import tracker.cli.ConnectedCommand;
import tracker.cli.options.Format;
import tracker.cli.options.Formats;
import tracker.cli.options.OutputOptions;
import tracker.json.JsonWriter;
import tracker.store.ApiKeys;
import tracker.store.Database;

@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Revoke API keys by id (as 'keys list' shows): the server refuses them from the next request on.",
                "Revoking a revoked key again is not an error."})
public final class KeysRevokeCommand extends ConnectedCommand implements Formats.Printing {
    static final Formats FORMATS = Formats.of(Format.text, Format.json);

    @Override
    public Formats formats() {
        return FORMATS;
    }

    @Mixin
    OutputOptions output;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "Key ids (or whole keys).")
    List<String> ids;

    @Override
    protected ExitCode run(Database db, Cli cli) {
        Format format = output.choose(FORMATS);
        ApiKeys keys = new ApiKeys(db);
        List<Object> done = new java.util.ArrayList<>();
        for (String id : ids) {
            ApiKeys.Key k = keys.revoke(id);
            done.add(KeysListCommand.json(k));
            if (format != Format.json) {
                cli.note("revoked key " + k.id() + " (" + k.role() + ")");
            }
        }
        if (format == Format.json) {
            cli.out().println(JsonWriter.write(done));
            cli.out().flush();
        }
        return ExitCode.OK;
    }
}
