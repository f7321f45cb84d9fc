package io.tsuzuku.billing.domain;

import java.util.Map;

/**
 * Organisations' own classes for decline codes, over the decline table ({@link DeclinePolicy}):
 * an organisation may treat a code as needing a new card, or as the processor's error, where the
 * table says it may be retried. No override makes a decline softer than the table or the
 * processor's advice says: what the card networks forbid retrying stays forbidden, for everyone.
 *
 * @param byOrganisation each organisation's code → class
 */
public record DeclineOverrides(Map<String, Map<String, FailureClass>> byOrganisation) {

  public static final DeclineOverrides NONE = new DeclineOverrides(Map.of());

  public DeclineOverrides {
    byOrganisation = Map.copyOf(byOrganisation);
    byOrganisation.forEach((orgId, overrides) -> overrides.forEach((code, failureClass) -> {
      if (failureClass == null || failureClass == FailureClass.REFUSED) {
        throw new IllegalArgumentException("decline " + code + " of organisation " + orgId + ": a class must be "
            + FailureClass.HARD_DECLINE + ", " + FailureClass.SOFT_DECLINE + " or " + FailureClass.PROCESSOR_ERROR);
      }
      if (DeclinePolicy.classify(code) == FailureClass.HARD_DECLINE && failureClass != FailureClass.HARD_DECLINE) {
        throw new IllegalArgumentException("decline " + code + " of organisation " + orgId
            + ": the decline table says it needs a new card, which no organisation may soften");
      }
    }));
  }

  /**
   * The class of a decline for the organisation: its override of {@code code} when it has one,
   * else the processor's class; a hard decline stays hard.
   */
  public FailureClass classify(String orgId, String code, FailureClass processorClass) {
    if (processorClass == FailureClass.HARD_DECLINE) {
      return processorClass;
    }
    var own = byOrganisation.getOrDefault(orgId, Map.of()).get(code);
    return own != null ? own : processorClass;
  }
}
