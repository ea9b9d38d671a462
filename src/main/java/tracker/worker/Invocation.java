package tracker.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tracker.spec.CommandTemplate;
import tracker.store.Claim;

/**
 * The argument vector and environment that start one run's command. Placeholders are filled word
 * by word, so a parameter value - whatever characters it holds - stays inside the word it was
 * written in; a word that is exactly {@code {args}} becomes one word per parameter.
 */
public record Invocation(List<String> argv, Map<String, String> env) {

    /** A command template: one parsed template per word. */
    public record Template(List<List<CommandTemplate.Part>> words) {
        /** From the words after {@code --} on tracker's command line. */
        public static Template ofWords(List<String> words) {
            List<List<CommandTemplate.Part>> parsed = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                try {
                    parsed.add(CommandTemplate.parse(words.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("word " + (i + 1) + " of the command ('" + words.get(i) + "'): " + e.getMessage());
                }
            }
            return new Template(parsed);
        }

        /** From a definition's {@code command} text. */
        public static Template ofText(String command) {
            return ofWords(Words.split(command));
        }

        /** Every placeholder name the template uses. */
        public List<String> placeholders() {
            List<String> names = new ArrayList<>();
            for (List<CommandTemplate.Part> w : words) {
                for (CommandTemplate.Part p : w) {
                    if (p.placeholder()) {
                        names.add(p.text());
                    }
                }
            }
            return names;
        }
    }

    public static Invocation of(Template template, Claim c, Map<String, Object> datasetAttributes, Map<String, String> extraEnv) {
        List<String> argv = new ArrayList<>();
        for (List<CommandTemplate.Part> word : template.words()) {
            if (word.size() == 1 && word.get(0).placeholder() && word.get(0).text().equals("args")) {
                argv.addAll(ClaimValues.argWords(c.params()));
            } else {
                argv.add(CommandTemplate.fill(word, name -> value(name, c, datasetAttributes)));
            }
        }
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.putAll(ClaimValues.environment(c, datasetAttributes));
        return new Invocation(argv, env);
    }

    private static String value(String name, Claim c, Map<String, Object> datasetAttributes) {
        if (name.startsWith("param.")) {
            Object v = c.params().get(name.substring("param.".length()));
            return v == null ? "" : ClaimValues.text(v);
        }
        if (name.startsWith("dataset.")) {
            Object v = datasetAttributes.get(name.substring("dataset.".length()));
            return v == null ? "" : ClaimValues.text(v);
        }
        return switch (name) {
            case "experiment" -> c.experiment();
            case "model" -> c.model();
            case "dataset" -> c.dataset();
            case "run" -> c.run();
            case "seed" -> Long.toString(c.seed());
            case "trial" -> Integer.toString(c.trial());
            case "replicate" -> Integer.toString(c.replicate());
            case "attempt" -> Integer.toString(c.attempt());
            case "args" -> String.join(" ", ClaimValues.argWords(c.params()));
            case "checkpoint" -> c.checkpoint() == null ? "" : c.checkpoint();
            default -> throw new IllegalArgumentException("unknown placeholder {" + name + "}");
        };
    }
}
