package io.tsuzuku.kit.outbox;

/**
 * A message saved with the state change that caused it, in the same document, and published
 * afterwards by the {@link OutboxRelay}.
 *
 * @param id unique per message (the event id it will carry), so a second publication is
 *     recognisable downstream
 * @param contractId the record's key
 * @param type the record type, for the adapter that decodes {@code payload}
 * @param payload the encoded record
 * @param writerSchema the schema {@code payload} was written with, by its fingerprint ({@link
 *     WriterSchemas}; an older version's message carries the schema's JSON), so that an instance
 *     of another version reads it during a rolling deploy; null: the type's schema of this version
 * @param traceParent the trace it continues ({@link io.tsuzuku.kit.Traces}); null: none
 */
public record OutboxMessage(String id, String contractId, String type, byte[] payload, String writerSchema,
    String traceParent) {

  /** A message written with the current schema of its type, in no trace. */
  public OutboxMessage(String id, String contractId, String type, byte[] payload) {
    this(id, contractId, type, payload, null, null);
  }
}
