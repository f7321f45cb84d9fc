package io.tsuzuku.status.application;

/**
 * A message saved with the state change that caused it and published afterwards by the relay.
 *
 * @param id unique per message (the event id it will carry), so a second publication is
 *     recognisable downstream
 * @param type the record type, for the adapter that decodes {@code payload}
 * @param payload the encoded record
 */
public record OutboxMessage(String id, String contractId, String type, byte[] payload) {}
