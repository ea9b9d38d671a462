package tracker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import tracker.json.Json;
import tracker.testing.CliRun;
import tracker.testing.TestDatabase;

class ExportCommandTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path tmp;

    @Test
    void exports_one_row_per_run_and_the_long_form_per_epoch() throws Exception {
        Path f = tmp.resolve("exp.yaml");
        Files.writeString(f, """
                name: exp
                objective: {metric: acc, goal: maximize}
                datasets: [x]
                models:
                  a: {datasets: [x], params: {k: ["1,2"], lr: [0.5]}}
                search: {method: grid, replicates: 2}
                """);
        CliRun cli = CliRun.in(tmp).database(DB);
        assertThat(cli.run("create", f.toString()).code()).isZero();
        Map<String, Object> c = Json.parseObject(cli.run("next", "-e", "exp").out().strip());
        CliRun w = cli.env("TRACKER_RUN", (String) c.get("run")).env("TRACKER_TOKEN", (String) c.get("token"));
        assertThat(w.run("log", "--epoch", "1", "val.acc=0.6", "train.loss=NaN").code()).isZero();
        assertThat(w.run("log", "--epoch", "2", "val.acc=0.7", "train.loss=0.3").code()).isZero();
        assertThat(w.run("end", "--status", "completed").code()).isZero();

        CliRun.Result csv = CliRun.in(tmp).database(DB).run("export", "-e", "exp");
        assertThat(csv.code()).as(csv.toString()).isZero();
        List<String> lines = csv.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("run,experiment,model,dataset,status,trial,replicate,seed,attempt,worker,objective_best,"
                + "objective_best_epoch,objective_last,epochs,param.k,param.lr,train.loss.last,train.loss.min,train.loss.max,"
                + "val.acc.last,val.acc.min,val.acc.max,claimed_at,started_at,ended_at,duration,exit_code,host,git_commit,git_dirty");
        String row = lines.stream().filter(l -> l.startsWith(c.get("run") + ",")).findFirst().orElseThrow();
        assertThat(row).contains(",completed,0,0,").contains(",0.7,2,0.7,2,\"1,2\",0.5,0.3,0.3,0.3,0.7,0.6,0.7,");
        assertThat(lines).anyMatch(l -> l.contains(",pending,") && l.endsWith(",\"1,2\",0.5,,,,,,,,,,,,,,"));

        CliRun.Result jsonl = CliRun.in(tmp).database(DB).run("export", "-e", "exp", "-o", "jsonl");
        assertThat(jsonl.out().lines()).hasSize(2).allSatisfy(l -> assertThat(Json.parseObject(l)).containsKeys("run", "params", "metrics"));

        CliRun.Result epochs = CliRun.in(tmp).database(DB).run("export", "-e", "exp", "--epochs");
        assertThat(epochs.out().lines()).hasSize(1 + 4).contains(c.get("run") + ",a,x,1,train,loss,NaN");
        assertThat(CliRun.in(tmp).database(DB).run("export", "-e", "exp", "-o", "table").code()).isEqualTo(2);

        CliRun.Result show = CliRun.in(tmp).database(DB).run("show", (String) c.get("run"));
        assertThat(show.code()).as(show.toString()).isZero();
        assertThat(show.out()).contains("status      completed (attempt 1)").contains("params      k=1,2 lr=0.5")
                .containsPattern("1 +\\S+ +[0-9-]+ [0-9:]+ +[0-9-]+ [0-9:]+ +completed").containsPattern("\n +train +val\nEPOCH +loss +acc\n")
                .containsPattern("val\\.acc +▁█ +0\\.600 +0\\.700 +0\\.600 +0\\.700")
                .containsPattern("train\\.loss +  ▄ +nan +0\\.300");
        assertThat(show.out()).doesNotContain((String) c.get("token"));
        Map<String, Object> json = Json.parseObject(CliRun.in(tmp).database(DB).run("show", (String) c.get("run"), "-o", "json").out().strip());
        assertThat((List<Object>) json.get("epochs")).hasSize(2);
        assertThat(json).doesNotContainKey("token");
        assertThat(CliRun.in(tmp).database(DB).run("show", "exp@1/a/x/99").code()).isEqualTo(7);
    }
}
