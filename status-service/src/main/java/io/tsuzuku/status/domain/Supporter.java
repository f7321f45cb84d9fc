package io.tsuzuku.status.domain;

/** The donor behind a contract, for contacting them. */
public record Supporter(String supporterId, String name, String email) {}
