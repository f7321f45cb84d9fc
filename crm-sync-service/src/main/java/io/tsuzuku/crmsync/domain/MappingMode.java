package io.tsuzuku.crmsync.domain;

/**
 * How an organisation's integration writes statuses. LEGACY: only the values its picklist knew
 * before ERROR existed (ERROR is written like RETRYING). RECONFIGURED: distinct values for
 * RETRYING and ERROR, plus the optional extra fields.
 */
public enum MappingMode {
  LEGACY,
  RECONFIGURED
}
