package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

  /**
   * A scheduled executor drops a schedule for good once a run throws: the relay, the retry
   * dispatch or the billing run would stop without a word. A pass that fails, even with an Error,
   * is tried again.
   */
  @Test
  void aPassThatFailsWithAnErrorIsTriedAgainAtTheNextInterval() {
    var passes = new AtomicInteger();
    var task = new PeriodicTask("flaky", Duration.ofMillis(20), () -> {
      if (passes.incrementAndGet() <= 2) {
        throw new StackOverflowError("a pass too deep");
      }
    });
    task.start();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 4);
    } finally {
      task.stop();
    }
    assertThat(task.isRunning()).isFalse();
  }
}
