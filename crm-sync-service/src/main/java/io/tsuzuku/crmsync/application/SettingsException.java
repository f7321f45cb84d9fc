package io.tsuzuku.crmsync.application;

/** A request about an organisation's integration that cannot be carried out; nothing changed. */
public final class SettingsException extends RuntimeException {

  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;
  private final String code;

  public SettingsException(Kind kind, String code, String message) {
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

  static SettingsException notConfigured() {
    return new SettingsException(Kind.NOT_FOUND, "SALESFORCE_NOT_CONFIGURED", "The organisation has no Salesforce integration.");
  }
}
