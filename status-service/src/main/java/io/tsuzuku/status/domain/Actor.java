package io.tsuzuku.status.domain;

/** Who caused an event: a system, the supporter, or a named administrator. */
public record Actor(Kind kind, String name) {

  public enum Kind {
    SYSTEM,
    SUPPORTER,
    ADMINISTRATOR
  }

  public static final Actor BILLING = new Actor(Kind.SYSTEM, "billing-service");
  public static final Actor RETRY_SCHEDULER = new Actor(Kind.SYSTEM, "retry-service");
  public static final Actor DONATION_FORM = new Actor(Kind.SUPPORTER, "donation-form");
  public static final Actor SUPPORTER = new Actor(Kind.SUPPORTER, "supporter");

  public static Actor administrator(String subject) {
    return new Actor(Kind.ADMINISTRATOR, subject);
  }

  public boolean isAdministrator() {
    return kind == Kind.ADMINISTRATOR;
  }
}
