package io.tsuzuku.status.domain;

import java.time.LocalDate;

/** A charge attempt's identity: the period it charges, its kind and its number. */
public record Attempt(String attemptId, LocalDate period, ChargeKind kind, int number) {}
