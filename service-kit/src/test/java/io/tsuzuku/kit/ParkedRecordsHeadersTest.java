package io.tsuzuku.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The parking's headers come back on records another writer could also have written: a header
 * that is not a number is read as absent, so such a record is handled as never parked instead of
 * failing in the listener for ever and holding its partition.
 */
class ParkedRecordsHeadersTest {

  @Test
  void aParkingHeaderThatIsNotANumberIsReadAsAbsent() {
    var headers = new RecordHeaders();
    headers.add(ParkedRecords.PARKED_ORDER, "not a number".getBytes(StandardCharsets.UTF_8));
    headers.add(ParkedRecords.PARKED_TRIES, "".getBytes(StandardCharsets.UTF_8));
    headers.add(ParkedRecords.PARKED_SINCE, "1796455544000".getBytes(StandardCharsets.UTF_8));

    assertThat(ParkedRecords.number(headers, ParkedRecords.PARKED_ORDER)).isNull();
    assertThat(ParkedRecords.number(headers, ParkedRecords.PARKED_TRIES)).isNull();
    assertThat(ParkedRecords.number(headers, ParkedRecords.PARKED_SINCE)).isEqualTo(1_796_455_544_000L);
    assertThat(ParkedRecords.number(headers, ParkedRecords.PARKED_FOR)).isNull();
  }
}
