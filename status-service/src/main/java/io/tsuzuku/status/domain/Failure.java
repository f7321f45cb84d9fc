package io.tsuzuku.status.domain;

import java.time.Instant;

/** A failed attempt as a contract remembers it. */
public record Failure(String code, String failureClass, Instant at) {}
