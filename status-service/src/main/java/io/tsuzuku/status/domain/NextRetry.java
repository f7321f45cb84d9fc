package io.tsuzuku.status.domain;

import java.time.Instant;

/** The next attempt the retry scheduler has planned. */
public record NextRetry(ChargeKind kind, int number, Instant at) {}
