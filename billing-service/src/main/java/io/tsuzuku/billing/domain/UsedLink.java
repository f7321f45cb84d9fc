package io.tsuzuku.billing.domain;

import java.time.Instant;

/** A re-payment link a charge was claimed with: it pays no other, and is forgotten once it expired. */
public record UsedLink(String linkId, Instant expiresAt) {}
