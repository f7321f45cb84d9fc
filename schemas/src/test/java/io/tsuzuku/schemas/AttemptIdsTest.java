package io.tsuzuku.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AttemptIdsTest {

  /**
   * The text is the payment processor's idempotency key: an attempt in flight during a deploy must
   * get the same key from the new version, or it could be charged twice.
   */
  @Test
  void theTextOfAnAttemptIdNeverChanges() {
    assertThat(AttemptIds.of("c-1", LocalDate.of(2027, 2, 1), "AUTO_RETRY", 2)).isEqualTo("c-1:2027-02-01:AUTO_RETRY:2");
  }
}
