package tracker.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import tracker.spec.Definition;
import tracker.spec.Space;

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kegl, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011), with the choices of Optuna 3.1's default
 * TPESampler: univariate (each parameter on its own), prior weight 1, magic clip, Optuna's
 * trial-order weights, gamma(n) = min(ceil(0.1 n), 25), 24 candidates, and the constant liar.
 *
 * <p>The sampler splits the trials into the good ones ("below") and the rest ("above"), fits a
 * Parzen estimator l to the first and g to the second, draws {@value #CANDIDATES} candidates from
 * l and keeps the one where l / g is largest: where good trials are dense and the others are not.
 *
 * <p>Every numeric parameter is modelled in its unit coordinate u ({@link UnitCoordinates}), the
 * space in which {@link SettingsSampler#valueAt} draws it, so log scales, normal kinds, integers
 * and quantized kinds need no case of their own and every choice is a legal value. Finite kinds
 * (integers, quantized) are treated as continuous in u and rounded by valueAt; Optuna models their
 * steps exactly, which matters little once each value owns an interval of u. Categorical
 * parameters are modelled as categories.
 *
 * <p>Pure and deterministic: the result depends on the model, the direction, the history (its
 * order included) and the seed only, bit for bit on every JDK, since all randomness comes from
 * {@link SplitMix64} and all transcendental functions from {@link StrictMath}. Each parameter
 * draws from its own stream, seeded by the seed and its name, so adding a parameter to a model
 * does not change how the others are drawn.
 */
public final class Tpe {
    /** Optuna's n_ei_candidates. */
    static final int CANDIDATES = 24;
    /** Optuna's default gamma: the best 10 % of the trials are the good ones ... */
    static final double GOOD_FRACTION = 0.1;
    /** ... but never more than 25, so a long history keeps l sharp. */
    static final int MAX_GOOD = 25;
    /**
     * How many finished trials of its own a cell needs before another dataset's history weighs
     * half what it weighs at the start; see {@link #transferWeight}.
     */
    static final double TRANSFER_HALF_AT = 10.0;

    /** The state of one trial the sampler learns from. */
    public enum State { COMPLETE, PRUNED, RUNNING }

    /**
     * One trial: its setting (param name -> value, as SettingsSampler produces; constants may be
     * present and are ignored), its state, its value (COMPLETE: the trial's objective; PRUNED: its
     * last value; RUNNING: null), the epochs it reached (used to order PRUNED trials: more epochs
     * first), and its group: null for the cell being sampled ("own" trials), else the name of the
     * other dataset it comes from (transfer). Own trials are given in trial order (oldest first),
     * which the weights use.
     */
    public record Observation(SortedMap<String, Object> params, State state, Double value, long epochs, String group) {
        public Observation {
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * What the sampler chose and what it saw, stored with the trial so the choice can be explained
     * and reproduced.
     *
     * @param params          the setting, constants included
     * @param ownSeen         own finished (COMPLETE or PRUNED) trials learned from
     * @param transferredSeen finished trials of other datasets learned from
     * @param inFlight        own RUNNING trials, counted as the worst (the constant liar)
     */
    public record Suggestion(SortedMap<String, Object> params, int ownSeen, int transferredSeen, int inFlight) {
    }

    /**
     * How much history there is: own finished (COMPLETE or PRUNED) trials, finished trials of other
     * datasets, own RUNNING trials. A caller decides from it whether there is enough to learn from.
     */
    public record Seen(int own, int transferred, int inFlight) {
    }

    /** What {@link #suggest} would learn from in this history (RUNNING trials of other datasets are ignored). */
    public static Seen seen(List<Observation> history) {
        int own = 0;
        int transferred = 0;
        int inFlight = 0;
        for (Observation o : history) {
            if (o.group() == null) {
                own += o.state() == State.RUNNING ? 0 : 1;
                inFlight += o.state() == State.RUNNING ? 1 : 0;
            } else if (o.state() != State.RUNNING) {
                transferred++;
            }
        }
        return new Seen(own, transferred, inFlight);
    }

    private Tpe() {
    }

    /**
     * The next setting to try for one cell.
     *
     * <p>Own trials are ranked: COMPLETE by value (best first; {@code maximize} says which way),
     * then PRUNED (more epochs first, then the better last value), then RUNNING; ties keep trial
     * order, and a missing or NaN value ranks last among its state. The first
     * min(ceil(0.1 n), 25) of all n own trials are the good ones, but only finished trials can be
     * good: with nothing finished l is the prior alone. RUNNING trials are thus always among the
     * bad ones (the constant liar), which pushes concurrent suggestions away from points already
     * being tried.
     *
     * <p>Trials of other groups (the model on other datasets; RUNNING ones ignored) are ranked
     * within their group by the same rule; the best ceil(0.1 m) of a group's m are good, the rest
     * bad, each with weight {@link #transferWeight}, while own trials weigh up to 1.
     *
     * <p>A setting value the space cannot produce (a definition that changed since the trial) is
     * left out of that parameter's estimators; the trial still counts for the others. So is an
     * absent one: a conditional parameter ({@code when:}) learns only from the trials in which it
     * was active, as Optuna's univariate TPE does - the split into good and bad is over all trials,
     * each side's estimator over those of its trials that have the parameter. The chosen setting
     * leaves out the parameters its own values make inactive. With no history at all the setting
     * is a plain random draw.
     */
    public static Suggestion suggest(Definition.Model model, boolean maximize, List<Observation> history, long seed) {
        List<Observation> own = new ArrayList<>();
        SortedMap<String, List<Observation>> groups = new TreeMap<>();
        for (Observation o : history) {
            if (o.group() == null) {
                own.add(o);
            } else if (o.state() != State.RUNNING) {
                groups.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o);
            }
        }
        Seen seen = seen(history);
        int ownFinished = seen.own();

        // each side keeps trial order, which the weights ramp over
        List<Observation> ranked = rank(own, maximize);
        int good = goodCount(own.size(), ownFinished);
        List<Observation> ownBelow = inTrialOrder(own, ranked.subList(0, good));
        List<Observation> ownAbove = inTrialOrder(own, ranked.subList(good, ranked.size()));

        List<Observation> transferBelow = new ArrayList<>();
        List<Observation> transferAbove = new ArrayList<>();
        for (List<Observation> group : groups.values()) {
            List<Observation> groupRanked = rank(group, maximize);
            int groupGood = (int) Math.ceil(GOOD_FRACTION * groupRanked.size());
            transferBelow.addAll(groupRanked.subList(0, groupGood));
            transferAbove.addAll(groupRanked.subList(groupGood, groupRanked.size()));
        }
        double transferWeight = transferWeight(ownFinished, groups.size());
        boolean noHistory = own.isEmpty() && seen.transferred() == 0;

        TreeMap<String, Object> setting = new TreeMap<>();
        for (Map.Entry<String, Space> param : model.params().entrySet()) {
            String name = param.getKey();
            Space space = param.getValue();
            if (space instanceof Space.Constant c) {
                setting.put(name, c.value());
                continue;
            }
            SplitMix64 rng = new SplitMix64(SplitMix64.mix(seed, SplitMix64.hash(name)));
            if (noHistory) {
                setting.put(name, SettingsSampler.valueAt(space, rng.nextDouble()));
                continue;
            }
            Points below = points(name, space, ownBelow, transferBelow, transferWeight);
            Points above = points(name, space, ownAbove, transferAbove, transferWeight);
            setting.put(name, space instanceof Space.Categorical c
                    ? c.values().get(chooseCategory(below, above, c.values().size(), rng))
                    : SettingsSampler.valueAt(space, chooseUnit(below, above, rng)));
        }
        // Every param was chosen, each from its own stream, so conditions change no other choice; the inactive ones go.
        return new Suggestion(model.activeOnly(setting), ownFinished, seen.transferred(), seen.inFlight());
    }

    /**
     * The weight of one trial of another dataset: 1 / (1 + ownFinished / 10), shared among the
     * groups. Before the cell has results of its own the other datasets together count like one
     * dataset's worth of trials; after 10 own results half that, after 30 a quarter, while the own
     * good trials grow in number, so the cell's own evidence takes over as it accumulates.
     */
    static double transferWeight(int ownFinished, int groups) {
        return groups == 0 ? 0.0 : 1.0 / (1.0 + ownFinished / TRANSFER_HALF_AT) / groups;
    }

    /**
     * How many of a cell's own trials are the good ones: min(ceil(0.1 n), 25), and only finished
     * ones. Computed in doubles as Optuna's default_gamma does (for every n below 100 000 that is
     * the exact ceiling of n / 10).
     */
    static int goodCount(int trials, int finished) {
        return Math.min(Math.min((int) Math.ceil(GOOD_FRACTION * trials), MAX_GOOD), finished);
    }

    /** Best first, by the rule of {@link #suggest}; a stable sort, so ties keep trial order. */
    static List<Observation> rank(List<Observation> trials, boolean maximize) {
        Comparator<Observation> byState = Comparator.comparingInt(o -> o.state().ordinal());
        Comparator<Observation> byEpochs = Comparator.comparingLong(o -> o.state() == State.PRUNED ? -o.epochs() : 0L);
        Comparator<Observation> byValue = Comparator.comparingDouble(o -> loss(o, maximize));
        List<Observation> out = new ArrayList<>(trials);
        out.sort(byState.thenComparing(byEpochs).thenComparing(byValue));
        return out;
    }

    /** Smaller is better; a missing or NaN value is the worst. */
    private static double loss(Observation o, boolean maximize) {
        if (o.value() == null || o.value().isNaN()) {
            return Double.POSITIVE_INFINITY;
        }
        return maximize ? -o.value() : o.value();
    }

    private static List<Observation> inTrialOrder(List<Observation> all, List<Observation> subset) {
        Set<Observation> members = Collections.newSetFromMap(new IdentityHashMap<>());
        members.addAll(subset);
        List<Observation> out = new ArrayList<>();
        for (Observation o : all) {
            if (members.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** One side's observations of one parameter as unit coordinates, with their weights. */
    private record Points(double[] units, double[] weights) {
    }

    private static Points points(String name, Space space, List<Observation> own, List<Observation> transferred,
                                 double transferWeight) {
        List<Double> units = new ArrayList<>();
        for (Observation o : own) {
            Double u = unitOrNull(space, o.params().get(name));
            if (u != null) {
                units.add(u);
            }
        }
        double[] ownWeights = Parzen.trialOrderWeights(units.size());
        int ownCount = units.size();
        for (Observation o : transferred) {
            Double u = unitOrNull(space, o.params().get(name));
            if (u != null) {
                units.add(u);
            }
        }
        double[] u = new double[units.size()];
        double[] w = new double[units.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = units.get(i);
            w[i] = i < ownCount ? ownWeights[i] : transferWeight;
        }
        return new Points(u, w);
    }

    private static Double unitOrNull(Space space, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return UnitCoordinates.unitOf(space, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The candidate from l with the largest log l - log g; the first of equals. */
    private static double chooseUnit(Points below, Points above, SplitMix64 rng) {
        Parzen.Numeric l = Parzen.Numeric.of(below.units(), below.weights());
        Parzen.Numeric g = Parzen.Numeric.of(above.units(), above.weights());
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CANDIDATES; i++) {
            double u = l.sample(rng);
            double score = l.logDensity(u) - g.logDensity(u);
            if (Double.isNaN(best) || score > bestScore) {
                best = u;
                bestScore = score;
            }
        }
        return Math.min(best, Math.nextDown(1.0)); // valueAt takes u in [0, 1)
    }

    private static int chooseCategory(Points below, Points above, int categories, SplitMix64 rng) {
        Parzen.Categorical l = Parzen.Categorical.of(categoryIndices(below, categories), below.weights(), categories);
        Parzen.Categorical g = Parzen.Categorical.of(categoryIndices(above, categories), above.weights(), categories);
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CANDIDATES; i++) {
            int c = l.sample(rng);
            double score = l.logProbability(c) - g.logProbability(c);
            if (best < 0 || score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    /** Categories travel as the centre of their u-interval; this takes them back to their index. */
    private static int[] categoryIndices(Points points, int categories) {
        int[] out = new int[points.units().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.min(categories - 1, Math.floor(points.units()[i] * categories));
        }
        return out;
    }
}
