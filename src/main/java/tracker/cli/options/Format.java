package tracker.cli.options;

/** Every output format; each command accepts the subset that makes sense for its data (see {@link Formats}). */
public enum Format {
    /** Lines for people, on commands whose answer is a sentence or a number rather than a table. */
    text,
    table, json, jsonl, csv, tsv, markdown, env, args, yaml,
    /** A LaTeX table (booktabs) for a paper. */
    latex,
    /** A standalone SVG document (figures for papers: the matrix, the CD diagram, learning curves). */
    svg,
    /** One name per line, for shell completion and scripts. */
    names,
    /** TensorBoard event files in a directory (export). */
    tensorboard,
    /** An MLflow file store in a directory (export). */
    mlflow
}
