package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttemptBudgetTest {

  private static final Instant END = Instant.parse("2026-12-01T01:00:00Z");

  @Test
  void anAttemptCountsFromJustAfterTheWindowsStartOn() {
    assertThat(AttemptBudget.inWindow(END.minus(AttemptBudget.WINDOW), END)).isFalse();
    assertThat(AttemptBudget.inWindow(END.minus(AttemptBudget.WINDOW).plusMillis(1), END)).isTrue();
    assertThat(AttemptBudget.inWindow(END, END)).isTrue();
  }

  @Test
  void anAttemptStampedByAClockAheadCountsAlready() {
    assertThat(AttemptBudget.inWindow(END.plusSeconds(5), END)).isTrue();
  }

  @Test
  void theFifteenthAttemptInThirtyDaysIsTheLastOneAllowed() {
    var attempts = new ArrayList<Instant>();
    attempts.add(END.minus(AttemptBudget.WINDOW)); // out of the window
    for (int i = 0; i < 14; i++) {
      attempts.add(END.minusSeconds(3600L * (i + 1)));
    }
    assertThat(AttemptBudget.count(attempts, END)).isEqualTo(14);
    assertThat(AttemptBudget.allowsAnother(attempts, END)).isTrue();

    attempts.add(END);
    assertThat(AttemptBudget.allowsAnother(attempts, END)).isFalse();
    assertThat(AttemptBudget.allowsAnother(List.copyOf(attempts), END.plus(AttemptBudget.WINDOW))).isTrue();
  }
}
