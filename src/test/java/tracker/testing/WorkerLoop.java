package tracker.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import tracker.Tracker;
import tracker.json.Json;

/**
 * A worker as a separate OS process that loops next -> log (two epochs) -> end through tracker's real command line
 * (in its own JVM, with its own connection), printing each run it completed. Exits 0 when next
 * says nothing is left. With WORKER_HANG_AFTER_CLAIM set it stops mid-run after its first claim,
 * printing "claimed RUN TOKEN", until it is killed. Used by the concurrency tests; args: EXPERIMENT [extra next options...].
 */
public final class WorkerLoop {
    private WorkerLoop() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String[] next = new String[args.length + 3];
        next[0] = "next";
        next[1] = "--experiment";
        System.arraycopy(args, 0, next, 2, args.length);
        next[next.length - 1] = "--wait";
        while (true) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Tracker.run(next, env, new PrintWriter(out), new PrintWriter(err));
            if (code == 3) {
                System.exit(0);
            }
            if (code != 0) {
                System.err.println("next failed with " + code + ": " + err);
                System.exit(code);
            }
            Map<String, Object> claim = Json.parseObject(out.toString().strip());
            String run = (String) claim.get("run");
            String token = (String) claim.get("token");
            for (int epoch = 1; epoch <= 2; epoch++) {
                int log = Tracker.run(new String[] {"log", "--run", run, "--token", token, "--epoch", Integer.toString(epoch),
                        "train.loss=" + (1.0 / epoch), "val.acc=" + (0.5 + epoch / 10.0)}, env, new PrintWriter(new StringWriter()),
                        new PrintWriter(err));
                if (log != 0) {
                    System.err.println("log failed with " + log + ": " + err);
                    System.exit(log);
                }
            }
            if (System.getenv("WORKER_HANG_AFTER_CLAIM") != null) {
                System.out.println("claimed " + run + " " + token);
                System.out.flush();
                while (true) {
                    try {
                        Thread.sleep(60_000); // mid-run, until killed
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            int end = Tracker.run(new String[] {"end", "--run", run, "--token", token, "--status", "completed"},
                    env, new PrintWriter(new StringWriter()), new PrintWriter(err));
            if (end != 0) {
                System.err.println("end failed with " + end + ": " + err);
                System.exit(end);
            }
            System.out.println(run);
            System.out.flush();
        }
    }
}
