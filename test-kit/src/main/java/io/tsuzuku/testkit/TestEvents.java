package io.tsuzuku.testkit;

import io.tsuzuku.infra.embedded.Endpoints;
import io.tsuzuku.schemas.EventSender;
import org.apache.avro.specific.SpecificRecord;

/** Sends events to the test's servers as the other systems do ({@link EventSender}). */
public final class TestEvents {

  private TestEvents() {}

  public static void send(Endpoints endpoints, SpecificRecord... events) {
    EventSender.send(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(), events);
  }
}
