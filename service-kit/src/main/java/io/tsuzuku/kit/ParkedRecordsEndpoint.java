package io.tsuzuku.kit;

import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/** The parked records ({@link ParkedRecords}), the longest waiting first (at most 1,000), for operators. */
@Endpoint(id = "parkedrecords")
public class ParkedRecordsEndpoint {

  private final ParkedRecords parked;

  public ParkedRecordsEndpoint(ParkedRecords parked) {
    this.parked = parked;
  }

  @ReadOperation
  public List<ParkedRecords.Parked> parked() {
    return parked.list(1_000);
  }
}
