package org.sipline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The CI quick mode of the microbenchmarks: every benchmark in the jar runs once, in a forked JVM
 * as {@code java -jar benchmarks.jar} would run it, for one short iteration. It proves the
 * benchmarks still build, set up and produce a score; it says nothing about how fast anything is,
 * so a loaded machine cannot fail it.
 */
class MicrobenchmarksQuickTest {
  private static final String MICRO = "org.sipline.benchmarks.micro";

  @Test
  void everyMicrobenchmarkRunsOnceAndReportsAScore() throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(MICRO.replace(".", "\\.") + "\\..*")
            .forks(1)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .timeout(TimeValue.minutes(1))
            .shouldFailOnError(true)
            .jvmArgsAppend("-Xmx256m")
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult r : results) {
      double score = r.getPrimaryResult().getScore();
      assertThat(score).as(r.getParams().getBenchmark() + " score").isFinite().isPositive();
      ran.add(r.getParams().getBenchmark());
    }
    assertThat(ran).containsExactlyInAnyOrderElementsOf(listedBenchmarks());
  }

  /** Every benchmark method (class.method) the annotation processor registered. */
  private static Set<String> listedBenchmarks() {
    Set<String> names = new TreeSet<>();
    for (BenchmarkListEntry e :
        BenchmarkList.defaultList()
            .getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
                List.of())) {
      names.add(e.getUsername());
    }
    return names;
  }
}
