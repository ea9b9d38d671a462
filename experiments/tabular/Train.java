/*
 * The trainer of tracker's tabular demo: one run = one model, one setting, one dataset, one seed.
 *
 *   java experiments/tabular/Train.java --model mlp --data experiments/tabular/data/iris.csv \
 *        --seed 7 --hidden=32 --depth=2 --lr=0.01 --epochs=20
 *
 * A single Java 17 source file with no dependencies, so that `java Train.java` runs it anywhere a
 * JDK is installed. It trains real models (multinomial logistic regression, a small ReLU network,
 * k-nearest neighbours) and prints one JSON line of train / val / test metrics per epoch, the
 * lines that `tracker log --stdin` and `tracker run` read. experiments/tabular/README.md describes
 * the whole contract; copy this file and replace the models with your own.
 *
 * Reproducibility: the 60/20/20 split depends only on the data (a constant seed), so every run on a
 * dataset sees the same rows; the run's --seed drives the initial weights and the shuffling of
 * every epoch. Java's floating point is deterministic and StrictMath is used for exp/log, so the
 * same arguments print the same output on any machine. A run resumed from a checkpoint prints the
 * same metrics as one that never stopped.
 */

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

public final class Train {

    /** Seeds the train/val/test split. Constant on purpose: runs differ by seed, never by data. */
    static final long SPLIT_SEED = 20240611L;

    static final String USAGE = """
            usage: java experiments/tabular/Train.java --model softmax|mlp|knn --data FILE.csv [--seed N] [--PARAM=VALUE ...]

              softmax  multinomial logistic regression, mini-batch SGD
                       --lr=0.1 (> 0)  --l2=0.0001 (>= 0)  --epochs=30  --batch=32
              mlp      ReLU network, `depth` hidden layers of `hidden` units, Adam
                       --hidden=64  --depth=1 (1..3)  --lr=0.003 (> 0)  --epochs=30  --batch=32
              knn      k-nearest neighbours (one epoch)
                       --k=5  --weights=uniform|distance

            Parameters are written --name=value or --name value; --seed defaults to 0.
            Prints one JSON line per epoch: {"epoch": 1, "train": {"loss": .., "accuracy": ..}, "val": {..}, "test": {..}}
            Environment: TRACKER_CHECKPOINT (resume from this file), TRACKER_CHECKPOINT_DIR (write a
            checkpoint there after every epoch, named after TRACKER_RUN). Exit codes: 0 done, 2 usage or data error.
            """;

    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (UsageError e) {
            System.err.println("Train.java: error: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(String[] argv) {
        Args args = Args.parse(argv);
        if (args.help) {
            System.out.print(USAGE);
            return;
        }
        Params params = Params.of(args.model, args.params);
        Dataset data = Dataset.load(args.data);
        Split split = Split.stratified(data, SPLIT_SEED);
        split.standardize();

        Classifier model = switch (args.model) {
            case "softmax" -> Network.softmax(data.features, split.classes, params.real("lr"), params.real("l2"));
            case "mlp" -> Network.mlp(data.features, split.classes, params.integer("hidden"), params.integer("depth"), params.real("lr"));
            default -> new Knn(split.train, params.integer("k"), params.text("weights").equals("distance"));
        };
        System.out.printf(Locale.ROOT, "training %s (%s) on %s: %d/%d/%d train/val/test rows, %d features, %d classes%n",
                args.model, params, data.name, split.train.rows, split.val.rows, split.test.rows,
                data.features, data.classes.size());

        if (model instanceof Network net) {
            trainNetwork(net, args, params, split);
        } else {
            printMetrics(1, split, model); // kNN has nothing to train: its one "epoch" is the evaluation
        }
    }

    /** Trains softmax or mlp epoch by epoch, from scratch or from a checkpoint, writing checkpoints if asked. */
    static void trainNetwork(Network net, Args args, Params params, Split split) {
        int epochs = params.integer("epochs");
        int batch = params.integer("batch");
        net.initialize(new Random(mix(args.seed, -1)));

        // What a checkpoint must agree on to be resumed: everything but the number of epochs, which
        // may grow (train 30 epochs, then extend to 50 from the checkpoint).
        String signature = args.model + " " + params.without("epochs") + " seed=" + args.seed
                + " shape=" + split.train.rows + "/" + split.val.rows + "/" + split.test.rows + "x" + split.train.features;
        int done = 0;
        Path resume = Checkpoints.toResume();
        if (resume != null) {
            done = Checkpoints.load(resume, signature, net);
            System.out.println("resuming from checkpoint " + resume + " after epoch " + done);
        }
        Path checkpointDir = Checkpoints.directory();

        for (int epoch = done + 1; epoch <= epochs; epoch++) {
            // The order of an epoch is derived from (seed, epoch), not drawn from a generator that
            // carries on from the previous epoch, so a resumed run needs no random state.
            net.trainEpoch(split.train, batch, new Random(mix(args.seed, epoch)));
            printMetrics(epoch, split, net);
            if (checkpointDir != null) {
                Path file = Checkpoints.save(checkpointDir, signature, epoch, net);
                System.out.println("{\"checkpoint\": " + jsonString(file.toString()) + "}");
            }
            if (epoch == args.stopAfterEpoch) {
                System.out.println("stopping after epoch " + epoch + " (--stop-after-epoch)");
                return;
            }
        }
    }

    // ---------------------------------------------------------------- metrics output

    /** Prints the epoch's metrics line. System.out flushes on every println, so each line reaches the tracker at once. */
    static void printMetrics(int epoch, Split split, Classifier model) {
        System.out.println("{\"epoch\": " + epoch
                + ", \"train\": " + evaluate(model, split.train)
                + ", \"val\": " + evaluate(model, split.val)
                + ", \"test\": " + evaluate(model, split.test) + "}");
    }

    /** Mean cross-entropy and accuracy of the model on one part of the data, as a JSON object. */
    static String evaluate(Classifier model, Rows rows) {
        double[] probs = new double[rows.classes];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < rows.rows; i++) {
            loss += model.predict(rows, i, probs);
            if (argmax(probs) == rows.y[i]) correct++;
        }
        return "{\"loss\": " + number(loss / rows.rows) + ", \"accuracy\": " + number((double) correct / rows.rows) + "}";
    }

    /** A JSON number with six significant digits; NaN and Infinity as the tracker's parser reads them. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
        if (v == 0) return "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e9 ? d.toPlainString() : d.toString().toLowerCase(Locale.ROOT);
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) if (v[c] > v[best]) best = c;
        return best;
    }

    /** SplitMix64's finalizer: independent-looking seeds from (run seed, stream) pairs. */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- command line

    /** A mistake in the command line, the data or the checkpoint: a one-line message and exit code 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) { super(message); }
    }

    /** The command line: the fixed options, and every other --name=value as a model parameter. */
    static final class Args {
        String model;
        Path data;
        long seed;
        int stopAfterEpoch = -1;
        boolean help;
        final Map<String, String> params = new LinkedHashMap<>();

        static Args parse(String[] argv) {
            Args a = new Args();
            for (int i = 0; i < argv.length; i++) {
                String arg = argv[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    a.help = true;
                    return a;
                }
                if (!arg.startsWith("--") || arg.length() == 2) {
                    throw new UsageError("unexpected argument '" + arg + "'; parameters are written --name=value (--help for usage)");
                }
                String name;
                String value;
                int eq = arg.indexOf('=');
                if (eq >= 0) {
                    name = arg.substring(2, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg.substring(2);
                    if (i + 1 >= argv.length) throw new UsageError("--" + name + " needs a value");
                    value = argv[++i];
                }
                switch (name) {
                    case "model" -> a.model = value;
                    case "data" -> a.data = Path.of(value);
                    case "seed" -> a.seed = parseLong("--seed", value);
                    // A testing aid: stop after this epoch as if the process had been stopped, to try out resuming.
                    case "stop-after-epoch" -> a.stopAfterEpoch = (int) parseLong("--stop-after-epoch", value);
                    default -> {
                        if (a.params.put(name, value) != null) throw new UsageError("--" + name + " is given twice");
                    }
                }
            }
            if (a.model == null) throw new UsageError("--model is required (softmax, mlp or knn)");
            if (a.data == null) throw new UsageError("--data is required (a CSV file whose last column is the label)");
            return a;
        }

        static long parseLong(String option, String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new UsageError(option + " must be an integer, not '" + value + "'");
            }
        }
    }

    /** One model parameter: its kind, the values it accepts and its default. */
    record Spec(String name, char kind, double min, double max, String fallback, List<String> choices) {
        static Spec real(String name, double min, double max, String fallback) { return new Spec(name, 'r', min, max, fallback, List.of()); }
        static Spec integer(String name, int min, int max, String fallback) { return new Spec(name, 'i', min, max, fallback, List.of()); }
        static Spec choice(String name, String fallback, String... choices) { return new Spec(name, 'c', 0, 0, fallback, List.of(choices)); }

        /** The value checked and normalized ("64.0" becomes "64" for an integer), or a usage error. */
        String check(String value) {
            String v = value.trim();
            if (kind == 'c') {
                if (!choices.contains(v)) throw new UsageError("--" + name + " must be one of " + String.join(", ", choices) + ", not '" + value + "'");
                return v;
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            boolean integral = d == Math.rint(d);
            if (Double.isNaN(d) || (kind == 'i' && !integral)) {
                throw new UsageError("--" + name + " must be " + (kind == 'i' ? "an integer" : "a number") + ", not '" + value + "'");
            }
            if (d < min || d > max) {
                throw new UsageError("--" + name + " must be " + range() + ", not " + value);
            }
            return kind == 'i' ? Long.toString((long) d) : v;
        }

        String range() {
            if (max == Double.MAX_VALUE || max == Integer.MAX_VALUE) return min == Double.MIN_VALUE ? "> 0" : ">= " + fmt(min);
            return "between " + fmt(min) + " and " + fmt(max);
        }

        static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }
    }

    /** The model's parameters: what was given, checked against the model's specs, and the defaults. */
    static final class Params {
        static final Map<String, List<Spec>> MODELS = Map.of(
                "softmax", List.of(
                        Spec.real("lr", Double.MIN_VALUE, Double.MAX_VALUE, "0.1"),
                        Spec.real("l2", 0, Double.MAX_VALUE, "0.0001"),
                        Spec.integer("epochs", 1, 100_000, "30"),
                        Spec.integer("batch", 1, Integer.MAX_VALUE, "32")),
                "mlp", List.of(
                        Spec.integer("hidden", 1, 4096, "64"),
                        Spec.integer("depth", 1, 3, "1"),
                        Spec.real("lr", Double.MIN_VALUE, Double.MAX_VALUE, "0.003"),
                        Spec.integer("epochs", 1, 100_000, "30"),
                        Spec.integer("batch", 1, Integer.MAX_VALUE, "32")),
                "knn", List.of(
                        Spec.integer("k", 1, Integer.MAX_VALUE, "5"),
                        Spec.choice("weights", "uniform", "uniform", "distance")));

        final Map<String, String> values = new LinkedHashMap<>();

        static Params of(String model, Map<String, String> given) {
            List<Spec> specs = MODELS.get(model);
            if (specs == null) throw new UsageError("unknown model '" + model + "'; known: softmax, mlp, knn");
            Params p = new Params();
            for (String name : given.keySet()) {
                if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                    throw new UsageError("unknown parameter --" + name + " for model " + model + "; known: "
                            + String.join(", ", specs.stream().map(Spec::name).toList()));
                }
            }
            for (Spec s : specs) p.values.put(s.name(), s.check(given.getOrDefault(s.name(), s.fallback())));
            return p;
        }

        int integer(String name) { return Integer.parseInt(values.get(name)); }
        double real(String name) { return Double.parseDouble(values.get(name)); }
        String text(String name) { return values.get(name); }

        String without(String name) {
            Params p = new Params();
            p.values.putAll(values);
            p.values.remove(name);
            return p.toString();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            values.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    // ---------------------------------------------------------------- data

    /** A CSV file: numeric features, and the last column as the class label. */
    static final class Dataset {
        String name;
        int features;
        double[][] x;
        int[] y;
        List<String> classes;

        static Dataset load(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageError("data file " + file + " does not exist");
            } catch (IOException e) {
                throw new UsageError("cannot read data file " + file + ": " + e.getMessage());
            }
            if (lines.isEmpty()) throw new UsageError(file + " is empty");
            int columns = lines.get(0).split(",", -1).length;
            if (columns < 2) throw new UsageError(file + ":1: expected a header with features and a label column");

            List<double[]> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int n = 1; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) continue;
                String[] cells = line.split(",", -1);
                if (cells.length != columns) {
                    throw new UsageError(file + ":" + (n + 1) + ": " + cells.length + " columns, the header has " + columns);
                }
                double[] row = new double[columns - 1];
                for (int j = 0; j < row.length; j++) {
                    try {
                        row[j] = Double.parseDouble(cells[j].strip());
                    } catch (NumberFormatException e) {
                        throw new UsageError(file + ":" + (n + 1) + ": column " + (j + 1) + " is not a number: '" + cells[j] + "'");
                    }
                }
                rows.add(row);
                labels.add(cells[columns - 1].strip());
            }
            if (rows.isEmpty()) throw new UsageError(file + " has no rows");

            Dataset d = new Dataset();
            d.name = file.getFileName().toString().replaceFirst("\\.csv$", "");
            d.features = columns - 1;
            d.x = rows.toArray(new double[0][]);
            d.classes = sortedClasses(labels);
            d.y = new int[labels.size()];
            for (int i = 0; i < d.y.length; i++) d.y[i] = d.classes.indexOf(labels.get(i));
            if (d.classes.size() < 2) throw new UsageError(file + ": the label column has only one class");
            return d;
        }

        /** Class names in a stable order: numerically when every label is an integer, else alphabetically. */
        static List<String> sortedClasses(List<String> labels) {
            boolean numeric = labels.stream().allMatch(s -> s.matches("-?\\d{1,9}"));
            TreeSet<String> set = new TreeSet<>(numeric
                    ? (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))
                    : String::compareTo);
            set.addAll(labels);
            return new ArrayList<>(set);
        }
    }

    /** Some rows of a dataset, features in one flat row-major array (faster than an array of arrays). */
    static final class Rows {
        final int rows, features, classes;
        final double[] x;
        final int[] y;

        Rows(Dataset d, int[] index) {
            rows = index.length;
            features = d.features;
            classes = d.classes.size();
            x = new double[rows * features];
            y = new int[rows];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(d.x[index[i]], 0, x, i * features, features);
                y[i] = d.y[index[i]];
            }
        }
    }

    /** The fixed stratified 60/20/20 split into train, validation and test rows. */
    static final class Split {
        Rows train, val, test;
        int classes;

        /** Within each class, shuffled with a fixed seed; 60% train, 20% validation, the rest test. */
        static Split stratified(Dataset d, long seed) {
            Random rng = new Random(seed);
            List<Integer> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
            for (int c = 0; c < d.classes.size(); c++) {
                List<Integer> members = new ArrayList<>();
                for (int i = 0; i < d.y.length; i++) if (d.y[i] == c) members.add(i);
                shuffle(members, rng);
                int nTrain = (int) Math.round(0.6 * members.size());
                int nVal = (int) Math.round(0.2 * members.size());
                train.addAll(members.subList(0, nTrain));
                val.addAll(members.subList(nTrain, nTrain + nVal));
                test.addAll(members.subList(nTrain + nVal, members.size()));
            }
            Split s = new Split();
            s.classes = d.classes.size();
            s.train = new Rows(d, toArray(train));
            s.val = new Rows(d, toArray(val));
            s.test = new Rows(d, toArray(test));
            if (s.train.rows < 2 || s.val.rows == 0 || s.test.rows == 0) throw new UsageError("too few rows for a 60/20/20 split");
            return s;
        }

        /** Scales every feature to mean 0 and standard deviation 1 on the training rows; constant features stay 0. */
        void standardize() {
            int f = train.features;
            double[] mean = new double[f], sd = new double[f];
            for (int i = 0; i < train.rows; i++) for (int j = 0; j < f; j++) mean[j] += train.x[i * f + j];
            for (int j = 0; j < f; j++) mean[j] /= train.rows;
            for (int i = 0; i < train.rows; i++) {
                for (int j = 0; j < f; j++) {
                    double d = train.x[i * f + j] - mean[j];
                    sd[j] += d * d;
                }
            }
            for (int j = 0; j < f; j++) {
                sd[j] = Math.sqrt(sd[j] / train.rows);
                if (sd[j] == 0) sd[j] = 1; // e.g. the always-blank corner pixels of digits
            }
            for (Rows r : List.of(train, val, test)) {
                for (int i = 0; i < r.rows; i++) for (int j = 0; j < f; j++) r.x[i * f + j] = (r.x[i * f + j] - mean[j]) / sd[j];
            }
        }

        static <T> void shuffle(List<T> list, Random rng) {
            for (int i = list.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                T t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
        }

        static int[] toArray(List<Integer> list) {
            int[] a = new int[list.size()];
            for (int i = 0; i < a.length; i++) a[i] = list.get(i);
            return a;
        }
    }

    // ---------------------------------------------------------------- models

    interface Classifier {
        /** Writes the class probabilities of row i of `rows` into probs and returns its cross-entropy loss. */
        double predict(Rows rows, int i, double[] probs);
    }

    /**
     * A fully connected network: softmax regression is one with no hidden layer, trained with plain
     * mini-batch SGD and L2 weight decay; the mlp has 1 to 3 ReLU hidden layers and uses Adam, which
     * copes with a wider range of learning rates than SGD and so suits a random search.
     */
    static final class Network implements Classifier {
        final int[] sizes;            // input, hidden..., classes
        final double lr, l2;
        final boolean adam;
        final double[][] w, b;        // per layer: w is (out x in) row-major
        final double[][] gw, gb;      // gradients summed over the current mini-batch
        final double[][] mw, mb, vw, vb; // Adam's moment estimates (unused by SGD)
        final double[][] act, delta;  // per-row scratch: activations and back-propagated errors
        long step;                    // Adam's update count, for its bias correction

        static Network softmax(int features, int classes, double lr, double l2) {
            return new Network(new int[] {features, classes}, lr, l2, false);
        }

        static Network mlp(int features, int classes, int hidden, int depth, double lr) {
            int[] sizes = new int[depth + 2];
            Arrays.fill(sizes, hidden);
            sizes[0] = features;
            sizes[depth + 1] = classes;
            return new Network(sizes, lr, 0, true);
        }

        Network(int[] sizes, double lr, double l2, boolean adam) {
            this.sizes = sizes;
            this.lr = lr;
            this.l2 = l2;
            this.adam = adam;
            int layers = sizes.length - 1;
            w = new double[layers][];
            b = new double[layers][];
            gw = new double[layers][];
            gb = new double[layers][];
            mw = new double[layers][];
            mb = new double[layers][];
            vw = new double[layers][];
            vb = new double[layers][];
            for (int l = 0; l < layers; l++) {
                int in = sizes[l], out = sizes[l + 1];
                for (double[][] m : List.of(w, gw, mw, vw)) m[l] = new double[out * in];
                for (double[][] m : List.of(b, gb, mb, vb)) m[l] = new double[out];
            }
            act = new double[sizes.length][];
            delta = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                act[l] = new double[sizes[l]];
                delta[l] = new double[sizes[l]];
            }
        }

        /** He initialization for ReLU layers, small weights for the output layer; biases start at 0. */
        void initialize(Random rng) {
            for (int l = 0; l < w.length; l++) {
                boolean output = l == w.length - 1;
                double scale = output ? Math.sqrt(1.0 / sizes[l]) : Math.sqrt(2.0 / sizes[l]);
                if (output && w.length == 1) scale = 0.01; // softmax regression: start near the uniform guess
                for (int k = 0; k < w[l].length; k++) w[l][k] = rng.nextGaussian() * scale;
            }
        }

        /** One pass over the training rows in a shuffled order, one update per mini-batch. */
        void trainEpoch(Rows train, int batch, Random rng) {
            int[] order = new int[train.rows];
            for (int i = 0; i < order.length; i++) order[i] = i;
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < order.length; start += batch) {
                int end = Math.min(order.length, start + batch);
                for (int l = 0; l < w.length; l++) {
                    Arrays.fill(gw[l], 0);
                    Arrays.fill(gb[l], 0);
                }
                for (int k = start; k < end; k++) {
                    forward(train.x, order[k] * train.features);
                    backward(train.y[order[k]]);
                }
                update(end - start);
            }
        }

        @Override
        public double predict(Rows rows, int i, double[] probs) {
            double loss = forward(rows.x, i * rows.features)[rows.y[i]];
            System.arraycopy(act[act.length - 1], 0, probs, 0, probs.length);
            return loss;
        }

        /**
         * Computes every layer's activations for the row at x[offset..]; the output layer holds the
         * softmax probabilities. Returns the cross-entropy of every class (-log p), computed from the
         * logits as log-sum-exp minus logit so that it stays finite when a probability underflows.
         */
        double[] forward(double[] x, int offset) {
            System.arraycopy(x, offset, act[0], 0, sizes[0]);
            int last = w.length - 1;
            for (int l = 0; l <= last; l++) {
                double[] in = act[l], out = act[l + 1], wl = w[l], bl = b[l];
                int n = in.length;
                for (int o = 0; o < out.length; o++) {
                    double z = bl[o];
                    int row = o * n;
                    for (int k = 0; k < n; k++) z += wl[row + k] * in[k];
                    out[o] = l < last && z < 0 ? 0 : z; // ReLU on hidden layers; logits on the last
                }
            }
            double[] logits = act[last + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits) max = Math.max(max, z);
            double sum = 0;
            for (double z : logits) sum += StrictMath.exp(z - max);
            double logSum = max + StrictMath.log(sum);
            double[] losses = delta[last + 1]; // reused as scratch; backward() overwrites it
            for (int c = 0; c < logits.length; c++) {
                losses[c] = logSum - logits[c];
                logits[c] = StrictMath.exp(-losses[c]);
            }
            return losses;
        }

        /** Adds this row's gradients to gw and gb, after forward() has run on it. */
        void backward(int label) {
            int last = w.length - 1;
            double[] d = delta[last + 1];
            double[] probs = act[last + 1];
            for (int c = 0; c < d.length; c++) d[c] = probs[c] - (c == label ? 1 : 0); // softmax + cross-entropy
            for (int l = last; l >= 0; l--) {
                double[] in = act[l], dOut = delta[l + 1], wl = w[l], g = gw[l], gbl = gb[l];
                int n = in.length;
                for (int o = 0; o < dOut.length; o++) {
                    double e = dOut[o];
                    if (e == 0) continue;
                    gbl[o] += e;
                    int row = o * n;
                    for (int k = 0; k < n; k++) g[row + k] += e * in[k];
                }
                if (l == 0) break; // no error to propagate into the inputs
                double[] dIn = delta[l];
                Arrays.fill(dIn, 0);
                for (int o = 0; o < dOut.length; o++) {
                    double e = dOut[o];
                    if (e == 0) continue;
                    int row = o * n;
                    for (int k = 0; k < n; k++) dIn[k] += e * wl[row + k];
                }
                for (int k = 0; k < n; k++) if (in[k] <= 0) dIn[k] = 0; // ReLU passes no gradient where it was off
            }
        }

        /** Applies the mean gradient of a mini-batch of `size` rows (plus L2 decay on the weights). */
        void update(int size) {
            step++;
            double b1 = 0.9, b2 = 0.999, eps = 1e-8;
            double c1 = 1 - StrictMath.pow(b1, step), c2 = 1 - StrictMath.pow(b2, step);
            for (int l = 0; l < w.length; l++) {
                for (int pass = 0; pass < 2; pass++) {
                    double[] p = pass == 0 ? w[l] : b[l], g = pass == 0 ? gw[l] : gb[l];
                    double[] m = pass == 0 ? mw[l] : mb[l], v = pass == 0 ? vw[l] : vb[l];
                    double decay = pass == 0 ? l2 : 0;
                    for (int k = 0; k < p.length; k++) {
                        double grad = g[k] / size + decay * p[k];
                        if (!adam) {
                            p[k] -= lr * grad;
                            continue;
                        }
                        m[k] = b1 * m[k] + (1 - b1) * grad;
                        v[k] = b2 * v[k] + (1 - b2) * grad * grad;
                        p[k] -= lr * (m[k] / c1) / (Math.sqrt(v[k] / c2) + eps);
                    }
                }
            }
        }

        /** Everything training changes: weights, optimizer state and step count (not the scratch arrays). */
        List<double[]> state() {
            List<double[]> s = new ArrayList<>();
            for (double[][] m : List.of(w, b, mw, mb, vw, vb)) s.addAll(Arrays.asList(m));
            return s;
        }
    }

    /**
     * k-nearest neighbours by Euclidean distance on the standardized features. There is nothing to
     * train; the single "epoch" is the evaluation. A training row is not its own neighbour
     * (leave-one-out), or the train accuracy of k=1 would trivially be 1.
     */
    static final class Knn implements Classifier {
        /** Probabilities are smoothed by this much so that a row whose neighbours all disagree has a finite loss. */
        static final double SMOOTHING = 1e-3;
        final Rows train;
        final int k;
        final boolean byDistance;

        Knn(Rows train, int k, boolean byDistance) {
            if (k > train.rows - 1) throw new UsageError("--k must be at most " + (train.rows - 1) + " (the training rows but one), not " + k);
            this.train = train;
            this.k = k;
            this.byDistance = byDistance;
        }

        @Override
        public double predict(Rows rows, int i, double[] probs) {
            int[] nearest = new int[k];
            double[] dist = new double[k];
            int found = nearestNeighbours(rows, i, nearest, dist);
            Arrays.fill(probs, 0);
            double total = 0;
            for (int n = 0; n < found; n++) {
                // Inverse-distance votes; a duplicate of the row (distance 0) all but decides the vote.
                double vote = byDistance ? 1 / Math.max(Math.sqrt(dist[n]), 1e-12) : 1;
                probs[train.y[nearest[n]]] += vote;
                total += vote;
            }
            for (int c = 0; c < probs.length; c++) probs[c] = (probs[c] / total + SMOOTHING) / (1 + SMOOTHING * probs.length);
            return -StrictMath.log(probs[rows.y[i]]);
        }

        /** The k training rows closest to row i, nearest first (ties: the earlier row), by squared distance. */
        int nearestNeighbours(Rows rows, int i, int[] nearest, double[] dist) {
            int f = train.features, found = 0;
            int query = i * f;
            for (int t = 0; t < train.rows; t++) {
                if (rows == train && t == i) continue;
                double d = 0;
                int row = t * f;
                for (int j = 0; j < f; j++) {
                    double diff = rows.x[query + j] - train.x[row + j];
                    d += diff * diff;
                }
                if (found == k && d >= dist[k - 1]) continue;
                int pos = found < k ? found++ : k - 1; // insertion sort into the short list
                while (pos > 0 && dist[pos - 1] > d) {
                    dist[pos] = dist[pos - 1];
                    nearest[pos] = nearest[pos - 1];
                    pos--;
                }
                dist[pos] = d;
                nearest[pos] = t;
            }
            return found;
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Checkpoints in a small binary format: a header, the signature of the configuration that wrote
     * it, the epoch reached, Adam's step count, then every state array. Doubles are stored exactly,
     * so a resumed run continues bit for bit.
     */
    static final class Checkpoints {
        static final String MAGIC = "tracker-tabular-demo checkpoint 1";

        /** The checkpoint to resume from: $TRACKER_CHECKPOINT (a path or a file: URI), if set. */
        static Path toResume() {
            String value = System.getenv("TRACKER_CHECKPOINT");
            if (value == null || value.isBlank()) return null;
            Path file;
            try {
                file = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value);
            } catch (IllegalArgumentException e) {
                throw new UsageError("TRACKER_CHECKPOINT is neither a path nor a file: URI: " + value);
            }
            if (!Files.isReadable(file)) {
                // A preempted run may come back on a machine that cannot see the old checkpoint:
                // training again from scratch is better than failing.
                System.err.println("Train.java: warning: cannot read checkpoint " + value + "; training from scratch");
                return null;
            }
            return file.toAbsolutePath();
        }

        /** The directory for new checkpoints: $TRACKER_CHECKPOINT_DIR, or null for none. */
        static Path directory() {
            String value = System.getenv("TRACKER_CHECKPOINT_DIR");
            return value == null || value.isBlank() ? null : Path.of(value).toAbsolutePath();
        }

        /** Writes to a temporary file and renames it, so a kill mid-write never leaves a torn checkpoint. */
        static Path save(Path dir, String signature, int epoch, Network net) {
            String run = System.getenv("TRACKER_RUN");
            String name = run == null || run.isBlank() ? "run" : run.replaceAll("[^A-Za-z0-9._-]", "_");
            Path file = dir.resolve(name + ".ckpt");
            Path tmp = dir.resolve(name + ".ckpt.tmp");
            try {
                Files.createDirectories(dir);
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                    out.writeUTF(MAGIC);
                    out.writeUTF(signature);
                    out.writeInt(epoch);
                    out.writeLong(net.step);
                    for (double[] a : net.state()) {
                        out.writeInt(a.length);
                        for (double v : a) out.writeDouble(v);
                    }
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UsageError("cannot write checkpoint " + file + ": " + e.getMessage());
            }
            return file;
        }

        /** Restores the network from a checkpoint and returns the epoch it had reached. */
        static int load(Path file, String signature, Network net) {
            try (InputStream raw = Files.newInputStream(file);
                 DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
                if (!in.readUTF().equals(MAGIC)) throw new UsageError(file + " is not a checkpoint of this trainer");
                String written = in.readUTF();
                if (!written.equals(signature)) {
                    throw new UsageError("checkpoint " + file + " was written by another configuration: " + written);
                }
                int epoch = in.readInt();
                net.step = in.readLong();
                for (double[] a : net.state()) {
                    if (in.readInt() != a.length) throw new UsageError("checkpoint " + file + " does not fit the model");
                    for (int k = 0; k < a.length; k++) a[k] = in.readDouble();
                }
                return epoch;
            } catch (EOFException | UTFDataFormatException e) {
                throw new UsageError(file + " is not a checkpoint of this trainer, or is truncated");
            } catch (IOException e) {
                throw new UsageError("cannot read checkpoint " + file + ": " + e.getMessage());
            }
        }
    }
}
