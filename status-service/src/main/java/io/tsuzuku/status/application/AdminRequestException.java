package io.tsuzuku.status.application;

/** A bulk request the service refuses as a whole, with a machine-readable code. Nothing changed. */
public class AdminRequestException extends RuntimeException {

  public enum Kind {
    INVALID,
    TOO_LARGE,
    CONFLICT
  }

  private final Kind kind;
  private final String code;

  public AdminRequestException(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }
}
