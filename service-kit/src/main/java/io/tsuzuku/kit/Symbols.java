package io.tsuzuku.kit;

import io.tsuzuku.schemas.UnprocessableRecordException;

/**
 * An event's enum symbol mapped to the service's own enum, at the adapter that reads the event:
 * each service speaks its own vocabulary and compares no status as a string.
 */
public final class Symbols {

  private Symbols() {}

  /**
   * The constant of {@code type} named {@code name}.
   *
   * @throws UnprocessableRecordException for a symbol this service does not know (a newer
   *     writer's, read as UNKNOWN): no retry helps, the record goes to its dead-letter topic
   */
  public static <E extends Enum<E>> E known(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new UnprocessableRecordException("unknown " + type.getSimpleName() + " " + name);
    }
  }
}
