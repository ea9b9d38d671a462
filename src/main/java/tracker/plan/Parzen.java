package tracker.plan;

import java.util.Arrays;

/**
 * The Parzen estimators of the TPE sampler, one parameter at a time, as Optuna 3.1 builds them
 * for its default (univariate) TPESampler: a weighted mixture of one kernel per observation and
 * one prior kernel of weight {@link #PRIOR_WEIGHT}, the mixture weights normalised to 1.
 */
final class Parzen {
    /** Optuna's prior_weight: the prior counts as one more observation. */
    static final double PRIOR_WEIGHT = 1.0;
    /** Optuna's magic clip never lets a kernel be narrower than 1/100 of the range. */
    private static final double MAGIC_CLIP_KERNELS = 100.0;

    private Parzen() {
    }

    /**
     * A mixture of Gaussians truncated to the unit interval [0, 1], the space of
     * {@link UnitCoordinates}.
     *
     * <p>Kernel i is centred on observation i; its sigma is the larger distance to its neighbours
     * in sorted order, the prior's centre 0.5 and the ends 0 and 1 counting as neighbours, except
     * that the lowest and highest kernel look inward only (Optuna's consider_endpoints=False), and
     * clipped to [1 / min(100, 1 + kernels), 1] (the "magic clip": no kernel so narrow that
     * a few close observations make the density a spike). The prior kernel sits at 0.5 with
     * sigma 1, the whole range, so every point keeps some density.
     */
    record Numeric(double[] mus, double[] sigmas, double[] logWeights, double[] logMasses) {

        /** @param weights one per observation, before the prior is added and all are normalised */
        static Numeric of(double[] observations, double[] weights) {
            int n = observations.length;
            double[] mus = Arrays.copyOf(observations, n + 1);
            mus[n] = 0.5;
            double[] sigmas = new double[n + 1];
            Integer[] order = new Integer[n + 1];
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b])); // stable: ties keep input order
            double[] sorted = new double[n + 3];
            sorted[0] = 0.0;
            for (int i = 0; i <= n; i++) {
                sorted[i + 1] = mus[order[i]];
            }
            sorted[n + 2] = 1.0;
            double minSigma = 1.0 / Math.min(MAGIC_CLIP_KERNELS, 1.0 + (n + 1));
            for (int i = 0; i <= n; i++) {
                double left = sorted[i + 1] - sorted[i];
                double right = sorted[i + 2] - sorted[i + 1];
                double sigma = Math.max(left, right);
                if (n + 1 >= 2 && i == 0) {
                    sigma = right;
                } else if (n + 1 >= 2 && i == n) {
                    sigma = left;
                }
                sigmas[order[i]] = Math.min(1.0, Math.max(minSigma, sigma));
            }
            sigmas[n] = 1.0; // the prior's, whatever its neighbours
            double[] all = Arrays.copyOf(weights, n + 1);
            all[n] = PRIOR_WEIGHT;
            double[] logWeights = logNormalised(all);
            double[] logMasses = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                // how much of the untruncated Gaussian lies in [0, 1]; mu in [0, 1] keeps it above 1/3
                logMasses[i] = StrictMath.log(StandardNormal.cdf((1.0 - mus[i]) / sigmas[i])
                        - StandardNormal.cdf((0.0 - mus[i]) / sigmas[i]));
            }
            return new Numeric(mus, sigmas, logWeights, logMasses);
        }

        /** The log of the mixture's density at u in [0, 1]. */
        double logDensity(double u) {
            double[] terms = new double[mus.length];
            for (int i = 0; i < mus.length; i++) {
                double z = (u - mus[i]) / sigmas[i];
                terms[i] = logWeights[i] + StandardNormal.logDensity(z) - StrictMath.log(sigmas[i]) - logMasses[i];
            }
            return logSumExp(terms);
        }

        /** A draw from the mixture: a kernel by weight, then its truncated Gaussian by inverse CDF. */
        double sample(SplitMix64 rng) {
            int i = pick(logWeights, rng.nextDouble());
            double low = StandardNormal.cdf((0.0 - mus[i]) / sigmas[i]);
            double high = StandardNormal.cdf((1.0 - mus[i]) / sigmas[i]);
            double p = low + rng.nextDouble() * (high - low);
            p = Math.max(Double.MIN_NORMAL, Math.min(Math.nextDown(1.0), p));
            double u = mus[i] + sigmas[i] * StandardNormal.quantile(p);
            return Math.max(0.0, Math.min(1.0, u));
        }
    }

    /**
     * A mixture over the categories 0..n-1. Optuna 3.1: with k observations each kernel spreads
     * PRIOR_WEIGHT / (k + 1) over every category and adds 1 on its observation's category, then is
     * normalised; the prior kernel is uniform. Only the mixture's probabilities matter, so they are
     * kept summed.
     */
    record Categorical(double[] logProbabilities) {

        static Categorical of(int[] observations, double[] weights, int categories) {
            int kernels = observations.length + 1;
            double[] all = Arrays.copyOf(weights, kernels);
            all[kernels - 1] = PRIOR_WEIGHT;
            double[] logWeights = logNormalised(all);
            double smoothing = PRIOR_WEIGHT / kernels;
            double rowSum = smoothing * categories + 1.0;
            double[] probabilities = new double[categories];
            for (int i = 0; i < observations.length; i++) {
                double w = StrictMath.exp(logWeights[i]);
                for (int c = 0; c < categories; c++) {
                    probabilities[c] += w * (smoothing + (c == observations[i] ? 1.0 : 0.0)) / rowSum;
                }
            }
            double prior = StrictMath.exp(logWeights[kernels - 1]);
            double[] logProbabilities = new double[categories];
            for (int c = 0; c < categories; c++) {
                logProbabilities[c] = StrictMath.log(probabilities[c] + prior / categories);
            }
            return new Categorical(logProbabilities);
        }

        double logProbability(int category) {
            return logProbabilities[category];
        }

        int sample(SplitMix64 rng) {
            return pick(logProbabilities, rng.nextDouble());
        }
    }

    /**
     * Optuna's default_weights for n observations in trial order (oldest first): all 1 below 25;
     * from 25 on the newest 25 weigh 1 and the older ones ramp linearly from 1/n up to 1, so old
     * history fades instead of holding the model to where the search began.
     */
    static double[] trialOrderWeights(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        int ramp = n - 25;
        if (ramp == 1) {
            w[0] = 1.0 / n; // numpy linspace with one point gives its start
        }
        for (int i = 0; ramp > 1 && i < ramp; i++) {
            w[i] = 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1);
        }
        return w;
    }

    private static double[] logNormalised(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = StrictMath.log(weights[i] / sum);
        }
        return out;
    }

    /** The index whose cumulative probability interval holds r in [0, 1); the last on rounding shortfall. */
    private static int pick(double[] logProbabilities, double r) {
        double cumulative = 0;
        for (int i = 0; i < logProbabilities.length; i++) {
            cumulative += StrictMath.exp(logProbabilities[i]);
            if (r < cumulative) {
                return i;
            }
        }
        return logProbabilities.length - 1;
    }

    static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double t : terms) {
            sum += StrictMath.exp(t - max);
        }
        return max + StrictMath.log(sum);
    }
}
