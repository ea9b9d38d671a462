package tracker.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmarks named on the command line (default: all) and prints each one's results as a
 * markdown table; docs/benchmarks.md keeps the latest. Run with {@code mvn -Pbench verify}
 * (add {@code -Dbench=create} to pick one; {@code soak}, ten minutes long, and {@code search}, adaptive
 * search against Optuna, run only when named). These are not
 * tests: they measure, they do not judge.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> which = new ArrayList<>(List.of(args));
        if (which.isEmpty() || which.contains("all")) {
            which = List.of("create", "claims", "report", "cell", "api");
        }
        for (String name : which) {
            switch (name) {
                case "create" -> CreateBench.run();
                case "claims" -> ClaimBench.run();
                case "report" -> ReportBench.run();
                case "cell" -> CellBench.run();
                case "api" -> ApiBench.run();
                case "soak" -> SoakBench.run();
                case "search" -> SearchBench.run();
                default -> throw new IllegalArgumentException("no benchmark '" + name + "'; known: create, claims, report, cell, api, soak, search");
            }
        }
    }
}
