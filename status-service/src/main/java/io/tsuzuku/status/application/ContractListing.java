package io.tsuzuku.status.application;

import io.tsuzuku.security.RequestRefused;
import io.tsuzuku.security.RequestRefused.Kind;
import io.tsuzuku.status.application.port.ContractSearch;
import io.tsuzuku.status.domain.Contract;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;

/**
 * The organisation's contracts as an administrator lists them: a page at a time, all of them for
 * an export or a bulk selection (at most the bulk limit), and the business dates their filters
 * speak of (docs/admin-api.md).
 */
public final class ContractListing {

  /** One page of a listing and the cursor of the next (null on the last page). */
  public record Page(List<Contract> contracts, String nextAfterId) {}

  private final ContractSearch search;
  private final AdminPolicy policy;
  private final Clock clock;

  public ContractListing(ContractSearch search, AdminPolicy policy, Clock clock) {
    this.search = search;
    this.policy = policy;
    this.clock = clock;
  }

  /** The zone of business dates (Asia/Tokyo). */
  public ZoneId zone() {
    return policy.zone();
  }

  /** Today in the business zone. */
  public LocalDate today() {
    return LocalDate.now(clock.withZone(policy.zone()));
  }

  /** The instant {@code period} ago, for "in ERROR for at least …" filters. */
  public Instant before(Period period) {
    return clock.instant().atZone(policy.zone()).minus(period).toInstant();
  }

  public Page list(String orgId, ContractFilter filter, int limit, String afterId) {
    var found = search.search(orgId, filter, afterId, limit + 1);
    if (found.size() <= limit) {
      return new Page(found, null);
    }
    var page = found.subList(0, limit);
    return new Page(List.copyOf(page), page.get(limit - 1).contractId());
  }

  /** Every contract that matches, for an export or a bulk selection; refused above the bulk limit. */
  public List<Contract> all(String orgId, ContractFilter filter) {
    var found = search.search(orgId, filter, null, policy.maxBulkSize() + 1);
    if (found.size() > policy.maxBulkSize()) {
      throw tooLarge();
    }
    return found;
  }

  RequestRefused tooLarge() {
    return new RequestRefused(
        Kind.TOO_LARGE, "BULK_TOO_LARGE", "a bulk request touches at most " + policy.maxBulkSize() + " contracts");
  }
}
