package io.tsuzuku.retry.adapter.out.kafka;

import io.tsuzuku.events.ChargeKind;
import io.tsuzuku.events.ChargeRequested;
import io.tsuzuku.events.EventHeader;
import io.tsuzuku.events.Failure;
import io.tsuzuku.events.FailureClass;
import io.tsuzuku.events.RepaymentDeadlinePassed;
import io.tsuzuku.events.RetriesExhausted;
import io.tsuzuku.events.RetryScheduled;
import io.tsuzuku.retry.application.port.RetryEventPublisher;
import io.tsuzuku.retry.domain.JobKind;
import io.tsuzuku.retry.domain.RetryJob;
import io.tsuzuku.kit.AcknowledgedSender;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes the retry service's events and commands, waiting for the broker's acknowledgement.
 * Event ids are name-based UUIDs of what caused them, so a repeated publication repeats the id.
 */
public final class KafkaRetryEventPublisher implements RetryEventPublisher {

  private final AcknowledgedSender sender;

  public KafkaRetryEventPublisher(KafkaTemplate<String, SpecificRecord> template, Duration timeout) {
    this.sender = new AcknowledgedSender(template, timeout);
  }

  @Override
  public void retryScheduled(RetryJob job, Instant at) {
    send(job.contractId(), RetryScheduled.newBuilder()
        .setHeader(header("retry-scheduled:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setKind(kind(job.kind()))
        .setRetryNumber(job.number())
        .setPeriod(job.period())
        .setRunAt(job.dueAt())
        .build());
  }

  @Override
  public void retriesExhausted(
      String contractId, String orgId, LocalDate period, int retries, LastFailure lastFailure, String causeEventId, Instant at) {
    send(contractId, RetriesExhausted.newBuilder()
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
  public void chargeRequested(RetryJob job, Instant at) {
    send(job.contractId(), ChargeRequested.newBuilder()
        .setHeader(header("charge-requested:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setAttemptId(job.jobId())
        .setKind(kind(job.kind()))
        .setRetryNumber(job.number())
        .setPeriod(job.period())
        .setDueAt(job.dueAt())
        .build());
  }

  @Override
  public void repaymentDeadlinePassed(RetryJob job, LocalDate deadline, Instant at) {
    send(job.contractId(), RepaymentDeadlinePassed.newBuilder()
        .setHeader(header("deadline-passed:" + job.jobId(), job.orgId(), job.contractId(), at, null))
        .setPeriod(job.period())
        .setDeadline(deadline)
        .setCancelledOn(deadline.plusDays(1))
        .build());
  }

  private void send(String contractId, SpecificRecord record) {
    sender.send(contractId, record);
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
