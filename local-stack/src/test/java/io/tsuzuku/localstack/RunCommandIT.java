package io.tsuzuku.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command as a person runs it, from its jar in a process of its own: it says little
 * before "tsuzuku is up", the demo tells the story the README prints (on its fast clock: a day as
 * soon as the system has settled), then with {@code --demo-exit} everything stops and says so.
 */
class RunCommandIT {

  private static final Path JAR = Path.of("target", "local-stack.jar");
  private static final Pattern DAY_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}  (?!>>).*");
  private static final String THE_END = "Time stands still now: the console shows where the story ended.";

  @Test
  void theDemoTellsTheReadmesStoryAfterAFewLinesThenStopsWhenAskedTo(@TempDir Path data) throws Exception {
    var output = run(data, "--demo-exit");

    assertThat(output.exitCode()).as(output.text()).isZero();
    var before = output.lines().stream().takeWhile(line -> !line.startsWith("tsuzuku is up")).toList();
    assertThat(before).as("the lines before 'tsuzuku is up'").hasSizeLessThan(40).hasSizeLessThan(output.lines().size());
    assertThat(before).as("no log lines of the servers or the services").noneMatch(line -> line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"));
    assertThat(String.join("\n", story(output.lines()))).isEqualTo(String.join("\n", readmeStory()));
    assertThat(output.lines()).last().asString().matches("tsuzuku local stack: stopped \\(\\d+\\.\\d s\\)");
  }

  @Test
  void anUnknownFlagIsRefusedWithTheUsage(@TempDir Path data) throws Exception {
    var output = run(data, "--demoo");

    assertThat(output.exitCode()).isEqualTo(2);
    assertThat(output.text()).contains("usage: local-stack [--demo [--demo-exit]] [--verbose]");
    assertThat(data).isEmptyDirectory();
  }

  /** The demo's lines from its first day to its end, each run of days where nothing happened shown as one "…". */
  static List<String> story(List<String> output) {
    var first = indexOf(output, line -> DAY_LINE.matcher(line).matches());
    var last = indexOf(output, THE_END::equals);
    var story = new ArrayList<String>();
    String previousDay = null;
    for (int i = first; i <= last; i++) {
      var line = output.get(i);
      if (DAY_LINE.matcher(line).matches()) {
        var counts = line.substring(10);
        var quiet = counts.equals(previousDay) && !output.get(i - 1).contains("  >> ") && !output.get(i + 1).startsWith(" ");
        previousDay = counts;
        if (quiet) {
          if (!story.get(story.size() - 1).equals("…")) {
            story.add("…");
          }
          continue;
        }
      }
      story.add(line);
    }
    return story;
  }

  /** The README's example of the demo: the fenced block that begins on the demo's first day. */
  private static List<String> readmeStory() throws IOException {
    var readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    var start = indexOf(readme, line -> line.startsWith("2027-04-04  "));
    var end = start;
    while (!readme.get(end).equals("```")) {
      end++;
    }
    return readme.subList(start, end);
  }

  private static int indexOf(List<String> lines, java.util.function.Predicate<String> which) {
    for (int i = 0; i < lines.size(); i++) {
      if (which.test(lines.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such line in:\n" + String.join("\n", lines));
  }

  private record Output(int exitCode, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }
  }

  /** Runs the jar on free ports with its data in {@code data}, to its end (at most ten minutes). */
  private static Output run(Path data, String... flags) throws Exception {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1536m", "-jar",
        JAR.toAbsolutePath().toString()));
    command.addAll(List.of(flags));
    var process = new ProcessBuilder(command).redirectErrorStream(true);
    process.environment().putAll(environment(data));
    var started = process.start();
    var lines = new ArrayList<String>();
    try (var reader = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      for (var line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    if (!started.waitFor(10, TimeUnit.MINUTES)) {
      started.destroyForcibly();
      throw new AssertionError("the run command did not end:\n" + String.join("\n", lines));
    }
    return new Output(started.exitValue(), lines);
  }

  private static Map<String, String> environment(Path data) throws IOException {
    var environment = new HashMap<String, String>();
    TAKEN.clear();
    environment.put("TSUZUKU_DATA_DIR", data.toString());
    environment.put("TSUZUKU_DEMO_DAY", "PT0S");
    // the broker's controller listens on the next port
    environment.put("LOCAL_KAFKA_PORT", String.valueOf(freePort(2)));
    for (var variable : List.of("LOCAL_REGISTRY_PORT", "LOCAL_MONGODB_PORT", "LOCAL_SALESFORCE_PORT", "LOCAL_IDENTITY_PORT", "STATUS_SERVICE_PORT",
        "RETRY_SERVICE_PORT", "BILLING_SERVICE_PORT", "CRM_SYNC_SERVICE_PORT")) {
      environment.put(variable, String.valueOf(freePort(1)));
    }
    return environment;
  }

  private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

  /**
   * A free port followed by {@code count - 1} free ones, none of them given out already, all below
   * the range the system gives connections their local ports from: a port of that range, free
   * when chosen, may be a client connection's by the time the server that was given it binds.
   */
  private static int freePort(int count) throws IOException {
    var below = ephemeralPortsFrom();
    var random = java.util.concurrent.ThreadLocalRandom.current();
    while (true) {
      var port = random.nextInt(10_000, below - count);
      if (freeFrom(port, count)) {
        for (int i = 0; i < count; i++) {
          TAKEN.add(port + i);
        }
        return port;
      }
    }
  }

  /**
   * The first port of the system's ephemeral range (Linux: {@code ip_local_port_range}, read by
   * line: a whole-file read of a /proc file may stop short; elsewhere, or if it leaves too few
   * ports below it, the IANA range's).
   */
  private static int ephemeralPortsFrom() {
    try {
      var from = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
      return from > 20_000 ? from : 49_152;
    } catch (IOException | RuntimeException e) {
      return 49_152;
    }
  }

  private static boolean freeFrom(int port, int count) {
    for (int i = 0; i < count; i++) {
      if (TAKEN.contains(port + i)) {
        return false;
      }
      try (var socket = new ServerSocket(port + i)) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
