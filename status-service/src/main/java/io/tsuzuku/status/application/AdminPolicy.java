package io.tsuzuku.status.application;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The rules of the administrators' bulk operations, from configuration ({@code tsuzuku.admin.*}).
 * Whether a contract may take an operation at all is the transition table's to say, not these.
 *
 * @param zone business dates are in this zone (Asia/Tokyo)
 * @param manualRetryHorizon how far ahead a manual retry may be ordered (default 90 days)
 * @param manualRetryTimeOfDay when a manual retry for a later date runs
 * @param finalNoticeInterval a final notice is not sent again within this interval
 * @param maxBulkSize the most contracts one bulk request may touch
 */
public record AdminPolicy(
    ZoneId zone,
    Duration manualRetryHorizon,
    LocalTime manualRetryTimeOfDay,
    Duration finalNoticeInterval,
    int maxBulkSize) {
}
