package io.tsuzuku.kit;

import io.tsuzuku.schemas.UnprocessableRecordException;

/** An event about a contract that names another organisation: never applied, dead-lettered with the reason. */
public class ForeignOrganisationException extends UnprocessableRecordException {
  public ForeignOrganisationException(String contractId, String contractOrg, String eventOrg) {
    super("contract " + contractId + " belongs to organisation " + contractOrg + ", the event names " + eventOrg);
  }
}
