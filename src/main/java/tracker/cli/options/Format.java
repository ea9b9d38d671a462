package tracker.cli.options;

/** Every output format; each command accepts the subset that makes sense for its data. */
public enum Format {
    table, json, jsonl, csv, tsv, markdown, env, args, yaml
}
