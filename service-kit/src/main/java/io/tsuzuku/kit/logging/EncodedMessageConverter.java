package io.tsuzuku.kit.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A log message on one line whatever its values hold: a line break, another control character or a
 * Unicode line separator in a value (a contract id from another team's record, a message from
 * Salesforce) is written escaped ({@code \n}, {@code \u001b}), so no value can forge a log line or
 * colour a terminal. Every service's logging pattern writes messages through it (the service kit's
 * {@code logback-spring.xml}; docs/operating.md, "Logs").
 */
public final class EncodedMessageConverter extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return encode(event.getFormattedMessage());
  }

  /** {@code text} with every control character and line separator escaped; null stays null. */
  public static String encode(String text) {
    if (text == null || text.chars().noneMatch(EncodedMessageConverter::escaped)) {
      return text;
    }
    var encoded = new StringBuilder(text.length() + 16);
    text.chars().forEach(c -> {
      switch (c) {
        case '\n' -> encoded.append("\\n");
        case '\r' -> encoded.append("\\r");
        case '\t' -> encoded.append("\\t");
        default -> {
          if (escaped(c)) {
            encoded.append(String.format("\\u%04x", c));
          } else {
            encoded.append((char) c);
          }
        }
      }
    });
    return encoded.toString();
  }

  private static boolean escaped(int c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
  }
}
