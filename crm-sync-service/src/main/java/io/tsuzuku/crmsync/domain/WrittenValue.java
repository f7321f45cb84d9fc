package io.tsuzuku.crmsync.domain;

/**
 * What one status is written as: the status field's value and, where the object has a status
 * reason field, that field's value (null clears it).
 */
public record WrittenValue(String status, String reason) {

  public WrittenValue {
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException("a status value must not be blank");
    }
  }

  public static WrittenValue of(String status) {
    return new WrittenValue(status, null);
  }
}
