package io.tsuzuku.kit.outbox;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** The outbox messages the relay parked, with their reasons ({@code GET /actuator/parkedmessages}). */
@Endpoint(id = "parkedmessages")
public final class ParkedMessagesEndpoint {

  private final ParkedMessages parked;

  public ParkedMessagesEndpoint(ParkedMessages parked) {
    this.parked = parked;
  }

  @ReadOperation
  public List<ParkedMessages.Parked> parked() {
    return parked.list(500);
  }
}
