package tracker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import tracker.ExitCode;
import tracker.Tracker;
import tracker.util.Durations;

/**
 * experiments/tabular/k8s-job.yaml against what Kubernetes requires and what tracker run does.
 * There is no cluster here to apply it to: these are the invariants a reader could get wrong when
 * adapting it, checked on the parsed manifest.
 */
class KubernetesJobTemplateTest {
    private static final Path MANIFEST = Path.of("experiments/tabular/k8s-job.yaml");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\((\\w+)\\)");

    static Map<String, Object> job;
    static Map<String, Object> spec;
    static Map<String, Object> pod;
    static Map<String, Object> worker;

    @BeforeAll
    static void parse() throws Exception {
        List<Object> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(MANIFEST)).forEach(documents::add);
        assertThat(documents).as("one Job in the file").hasSize(1);
        job = map(documents.get(0));
        spec = map(job.get("spec"));
        pod = map(map(spec.get("template")).get("spec"));
        worker = containers("containers").stream().filter(c -> "worker".equals(c.get("name"))).findFirst().orElseThrow();
    }

    @Test
    void it_is_an_indexed_batch_job_with_one_completion_per_worker() {
        assertThat(job).containsEntry("apiVersion", "batch/v1").containsEntry("kind", "Job");
        assertThat(spec.get("completionMode")).as("Indexed: each worker gets JOB_COMPLETION_INDEX, which tracker records")
                .isEqualTo("Indexed");
        assertThat(spec.get("completions")).as("an Indexed Job needs completions").isInstanceOf(Integer.class);
        assertThat(spec.get("parallelism")).as("at most one pod per index at a time").isInstanceOf(Integer.class);
        assertThat((Integer) spec.get("parallelism")).isBetween(1, (Integer) spec.get("completions"));
        assertThat((Integer) spec.get("backoffLimit")).as("a pod lost to a node problem is replaced").isPositive();
    }

    @Test
    void pod_failures_that_are_no_failures_are_ignored_and_mistakes_stop_the_job() {
        assertThat(pod.get("restartPolicy")).as("Kubernetes refuses a podFailurePolicy without it").isEqualTo("Never");
        List<Map<String, Object>> rules = list(map(spec.get("podFailurePolicy")).get("rules"));
        assertThat(rules).anySatisfy(r -> {
            assertThat(r.get("action")).isEqualTo("Ignore");
            assertThat(list(r.get("onPodConditions"))).extracting(c -> c.get("type")).containsExactly("DisruptionTarget");
        });
        Map<String, Object> fail = rules.stream().filter(r -> "FailJob".equals(r.get("action"))).findFirst().orElseThrow();
        Map<String, Object> codes = map(fail.get("onExitCodes"));
        assertThat(codes.get("operator")).isEqualTo("In");
        assertThat(codes.get("values")).as("tracker's exit codes that no retry changes").isEqualTo(List.of(
                ExitCode.USAGE.code, ExitCode.NOT_FOUND.code, ExitCode.CONFLICT.code, ExitCode.INVALID.code));
    }

    @Test
    void kubernetes_waits_longer_than_tracker_runs_grace_before_it_kills_the_worker() {
        List<String> command = strings(worker.get("command"));
        int flag = command.indexOf("--grace");
        String grace = flag >= 0 ? command.get(flag + 1) : Tracker.commandLine(Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), false).getSubcommands().get("run").getCommandSpec()
                .findOption("--grace").defaultValue();
        Duration graceTime = Durations.parseOrNull(grace);
        assertThat(graceTime).as("tracker run --grace " + grace).isNotNull();
        assertThat(Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds")))
                .as("SIGKILL must not come before tracker run has ended its runs as preempted").isGreaterThan(graceTime);
    }

    @Test
    void the_worker_runs_the_experiment_its_init_container_creates_with_the_uri_from_a_secret() throws Exception {
        List<String> command = strings(worker.get("command"));
        assertThat(command).startsWith("tracker", "run").doesNotContain("--uri");
        String experiment = expand(command.get(command.indexOf("--experiment") + 1), worker);

        Map<String, Object> create = containers("initContainers").get(0);
        List<String> createCommand = strings(create.get("command"));
        assertThat(createCommand).startsWith("tracker", "create");
        Map<String, Object> definition = map(new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Path.of(createCommand.get(2)))));
        assertThat(definition.get("name")).as("the experiment the workers serve is the one created").isEqualTo(experiment);
        assertThat(create.get("workingDir")).as("the definition's paths are relative to the same directory")
                .isEqualTo(worker.get("workingDir"));

        for (Map<String, Object> container : List.of(create, worker)) {
            Map<String, Object> uri = env(container).get("TRACKER_URI");
            assertThat(uri).as(container.get("name") + ": TRACKER_URI").isNotNull().doesNotContainKey("value");
            assertThat(map(map(uri.get("valueFrom")).get("secretKeyRef"))).containsKeys("name", "key");
        }
        assertThat(env(worker)).as("recorded with each run's provenance").containsKeys("POD_NAME", "POD_NAMESPACE");
    }

    @Test
    void every_variable_a_command_refers_to_is_defined_for_it() {
        // Kubernetes leaves an undefined $(NAME) as it is: tracker would look for an experiment called "$(NAME)".
        List<Map<String, Object>> all = new ArrayList<>(containers("initContainers"));
        all.addAll(containers("containers"));
        for (Map<String, Object> container : all) {
            for (String word : strings(container.get("command"))) {
                expand(word, container);
            }
        }
    }

    /** A command word as Kubernetes expands it from the container's env (literal values only). */
    private static String expand(String word, Map<String, Object> container) {
        Matcher m = VARIABLE.matcher(word);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Map<String, Object> var = env(container).get(m.group(1));
            assertThat(var).as(container.get("name") + ": " + word + " needs env " + m.group(1)).isNotNull();
            assertThat(var.get("value")).as(container.get("name") + ": env " + m.group(1) + " has a value").isInstanceOf(String.class);
            m.appendReplacement(b, Matcher.quoteReplacement((String) var.get("value")));
        }
        return m.appendTail(b).toString();
    }

    private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> byName = new java.util.LinkedHashMap<>();
        Object env = container.get("env");
        for (Map<String, Object> e : env == null ? List.<Map<String, Object>>of() : list(env)) {
            byName.put((String) e.get("name"), e);
        }
        return byName;
    }

    private static List<Map<String, Object>> containers(String key) {
        return list(pod.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<String>) o;
    }
}
