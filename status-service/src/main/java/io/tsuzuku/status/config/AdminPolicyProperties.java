package io.tsuzuku.status.config;

import io.tsuzuku.status.application.AdminPolicy;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The administrators' rules as configuration ({@code tsuzuku.admin.*}); see {@link AdminPolicy}. */
@ConfigurationProperties("tsuzuku.admin")
record AdminPolicyProperties(
    ZoneId zone,
    Duration manualRetryHorizon,
    LocalTime manualRetryTimeOfDay,
    Duration finalNoticeInterval,
    int attemptBudget,
    int maxBulkSize) {

  AdminPolicy toPolicy() {
    return new AdminPolicy(zone, manualRetryHorizon, manualRetryTimeOfDay, finalNoticeInterval, attemptBudget, maxBulkSize);
  }
}
