package io.tsuzuku.retry.adapter.out.kafka;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.Failure;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.kit.outbox.KafkaMessagePublisher;
import io.tsuzuku.kit.outbox.OutboxMessage;
import io.tsuzuku.retry.application.port.RetryMessages;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * The retry service's events and commands as the records of their topics. Event ids are
 * name-based UUIDs of what caused them, so a message made again for the same cause repeats the id.
 */
public final class AvroRetryMessages implements RetryMessages {

  @Override
  public OutboxMessage retryScheduled(RetryJob job, Instant at) {
    return message(RetryScheduled.newBuilder()
        .setHeader(header("retry-scheduled:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setKind(kind(job.kind()))
        .setRetryNumber(job.number())
        .setPeriod(job.period())
        .setRunAt(job.dueAt())
        .build());
  }

  @Override
  public OutboxMessage retriesExhausted(
      String contractId, String orgId, LocalDate period, int retries, LastFailure lastFailure, String causeEventId, Instant at) {
    return message(RetriesExhausted.newBuilder()
        .setHeader(header("retries-exhausted:" + causeEventId, orgId, contractId, at, causeEventId))
        .setPeriod(period)
        .setRetries(retries)
        .setLastFailure(Failure.newBuilder()
            .setCode(lastFailure.code())
            .setFailureClass(failureClass(lastFailure.failureClass()))
            .setAt(lastFailure.at())
            .build())
        .build());
  }

  @Override
  public OutboxMessage chargeRequested(RetryJob job, Instant at) {
    return message(job, ChargeRequested.newBuilder()
        .setHeader(header("charge-requested:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setAttemptId(job.jobId())
        .setKind(kind(job.kind()))
        .setRetryNumber(job.number())
        .setPeriod(job.period())
        .setDueAt(job.dueAt())
        .build());
  }

  @Override
  public OutboxMessage repaymentDeadlinePassed(RetryJob job, LocalDate deadline, Instant at) {
    return message(job, RepaymentDeadlinePassed.newBuilder()
        .setHeader(header("deadline-passed:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setPeriod(job.period())
        .setDeadline(deadline)
        .setCancelledOn(deadline.plusDays(1))
        .build());
  }

  private static OutboxMessage message(SpecificRecord record) {
    var header = (EventHeader) record.get(record.getSchema().getField("header").pos());
    return KafkaMessagePublisher.encode(header.getEventId(), header.getContractId(), record);
  }

  /** A job's command: in the trace of the event that scheduled the job, not of the dispatch. */
  private static OutboxMessage message(RetryJob job, SpecificRecord record) {
    var header = (EventHeader) record.get(record.getSchema().getField("header").pos());
    return KafkaMessagePublisher.encode(header.getEventId(), header.getContractId(), record, job.traceParent());
  }

  private static EventHeader header(String identity, String orgId, String contractId, Instant at, String causationId) {
    return EventHeader.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString())
        .setOrgId(orgId)
        .setContractId(contractId)
        .setOccurredAt(at)
        .setCausationId(causationId)
        .build();
  }

  private static ChargeKind kind(JobKind kind) {
    return kind == JobKind.MANUAL_RETRY ? ChargeKind.MANUAL_RETRY : ChargeKind.AUTO_RETRY;
  }

  private static FailureClass failureClass(String name) {
    try {
      return FailureClass.valueOf(name);
    } catch (IllegalArgumentException e) {
      return FailureClass.UNKNOWN;
    }
  }
}
