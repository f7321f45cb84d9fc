package io.tsuzuku.status.application;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The rules of the administrators' bulk operations, from configuration ({@code tsuzuku.admin.*}).
 *
 * @param zone business dates are in this zone (Asia/Tokyo)
 * @param manualRetryHorizon how far ahead a manual retry may be ordered (default 90 days)
 * @param manualRetryTimeOfDay when a manual retry for a later date runs
 * @param finalNoticeInterval a final notice is not sent again within this interval
 * @param attemptBudget charge attempts allowed in any 30 days (card networks: 15)
 * @param maxBulkSize the most contracts one bulk request may touch
 */
public record AdminPolicy(
    ZoneId zone,
    Duration manualRetryHorizon,
    LocalTime manualRetryTimeOfDay,
    Duration finalNoticeInterval,
    int attemptBudget,
    int maxBulkSize) {
}
