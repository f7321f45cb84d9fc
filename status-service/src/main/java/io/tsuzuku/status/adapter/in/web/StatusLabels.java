package io.tsuzuku.status.adapter.in.web;

import io.tsuzuku.status.domain.Status;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The display text of each status (docs/state-machine.md). Codes are the API; labels are configuration, so
 * an organisation used to 再決済待ち can keep seeing it. Every status must have a label.
 */
@ConfigurationProperties("tsuzuku.status")
public record StatusLabels(Map<Status, String> labels) {

  public StatusLabels {
    var complete = new EnumMap<Status, String>(Status.class);
    complete.putAll(labels == null ? Map.of() : labels);
    for (var status : Status.values()) {
      var label = complete.get(status);
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException("tsuzuku.status.labels." + status + " is missing");
      }
    }
    labels = Map.copyOf(complete);
  }

  public String of(Status status) {
    return labels.get(status);
  }
}
