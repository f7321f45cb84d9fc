package io.tsuzuku.kit;

import io.tsuzuku.schemas.UnprocessableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.RetryListener;

/**
 * What the error handler says about a record that failed (docs/operating.md, "Logs"): a failed
 * delivery that will be tried again, parked or set aside is routine, one WARN line with the record
 * and the reason, no stack trace; a record that could not be set aside (its dead-letter topic
 * unwritable) is for an operator, an ERROR with its stack trace.
 */
final class LoggedRetries implements RetryListener {

  private static final Logger log = LoggerFactory.getLogger(LoggedRetries.class);

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int deliveryAttempt) {
    if (RecordRetries.causedBy(failure, UnprocessableRecordException.class)) {
      return; // never tried again: set aside at once, and said then
    }
    log.warn("record {} key='{}' failed (delivery {}): {}", position(record), record.key(), deliveryAttempt,
        RecordRetries.reasonOf(failure));
  }

  @Override
  public void failedDelivery(ConsumerRecords<?, ?> records, Exception failure, int deliveryAttempt) {
    if (RecordRetries.causedBy(failure, BatchListenerFailedException.class)) {
      return; // the batch's listener named the record that failed: said above, of that record
    }
    log.warn("batch of {} records failed (delivery {}): {}", records.count(), deliveryAttempt, RecordRetries.reasonOf(failure));
  }

  @Override
  public void recoveryFailed(ConsumerRecord<?, ?> record, Exception original, Exception failure) {
    log.error("record {} key='{}' could not be set aside (it failed: {}); it is tried again", position(record), record.key(),
        RecordRetries.reasonOf(original), failure);
  }

  /** Where a record was set aside, said once. */
  static void setAside(ConsumerRecord<?, ?> record, String where, Throwable reason) {
    log.warn("record {} key='{}' {}: {}", position(record), record.key(), where, RecordRetries.reasonOf(reason));
  }

  static String position(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
