package io.tsuzuku.status.domain;

import java.time.Instant;
import java.time.LocalDate;

/** A manual retry an administrator ordered that has not run yet. */
public record PendingManualRetry(LocalDate retryOn, Instant runAt, String requestedBy) {}
