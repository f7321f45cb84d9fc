package io.tsuzuku.status.application.port;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The latest new card each supporter gave, kept for the contracts of theirs registered after it
 * (a registration may reach this service hours after the supporter applied).
 */
public interface SupporterCards {

  /**
   * A card a supporter gave, as its update brought it.
   *
   * @param sealedToken the token, sealed for billing and bound to {@code updatedFrom}
   */
  record Given(String orgId, String supporterId, String updateId, String updatedFrom, String sealedToken, Instant at) {}

  /** Keeps {@code given} as its supporter's latest card, unless one given later is kept. */
  void keep(Given given);

  /** The latest card kept for each of these supporters of the organisation, by supporter id. */
  Map<String, Given> latest(String orgId, Collection<String> supporterIds);
}
