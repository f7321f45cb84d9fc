package io.tsuzuku.status.application;

import io.tsuzuku.status.application.port.SupporterCards;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The supporters' latest cards in memory, as {@code MongoSupporterCards} keeps them: a card given later wins. */
public final class InMemorySupporterCards implements SupporterCards {

  private final Map<String, Given> kept = new HashMap<>();

  @Override
  public synchronized void keep(Given given) {
    kept.merge(given.orgId() + "|" + given.supporterId(), given, (old, now) -> now.at().isAfter(old.at()) ? now : old);
  }

  @Override
  public synchronized Map<String, Given> latest(String orgId, Collection<String> supporterIds) {
    var found = new HashMap<String, Given>();
    supporterIds.forEach(id -> {
      var given = kept.get(orgId + "|" + id);
      if (given != null) {
        found.put(id, given);
      }
    });
    return found;
  }
}
