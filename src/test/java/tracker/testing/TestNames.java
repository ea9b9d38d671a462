package tracker.testing;

import org.junit.jupiter.api.TestInfo;

/** An experiment name per test method, so tests sharing one database never see each other's runs. */
public final class TestNames {
    private TestNames() {
    }

    public static String experiment(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName().replace('_', '-');
        return name.substring(0, Math.min(60, name.length()));
    }
}
