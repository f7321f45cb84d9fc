package io.tsuzuku.kit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A value cannot forge a log line. */
class EncodedMessageConverterTest {

  @Test
  void lineBreaksControlCharactersAndLineSeparatorsAreEscaped() {
    assertThat(EncodedMessageConverter.encode("c-1\n2026-12-06 INFO forged\r\tx\u001b[31m\u2028\u0085"))
        .isEqualTo("c-1\\n2026-12-06 INFO forged\\r\\tx\\u001b[31m\\u2028\\u0085");
    assertThat(EncodedMessageConverter.encode("継続中 c-1")).isEqualTo("継続中 c-1");
    assertThat(EncodedMessageConverter.encode(null)).isNull();
  }

  /** The services' logging configuration, as Spring Boot loads it, writes an event with a line break in a value on one line. */
  @Test
  void theServicesConsoleWritesEachMessageOnOneLine() throws Exception {
    var context = new LoggerContext();
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback-spring.xml"));
    var logger = context.getLogger("test");
    @SuppressWarnings("unchecked")
    var console = (Appender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
    var event = new LoggingEvent(getClass().getName(), logger, Level.WARN, "contract {} refused",
        null, new Object[] {"c-1\n2026-12-06T00:00:00.000Z  INFO 1 --- [main] forged : all paid"});

    var written = new String(((ConsoleAppender<ILoggingEvent>) console).getEncoder().encode(event), StandardCharsets.UTF_8);
    context.stop();

    assertThat(written.lines()).hasSize(1);
    assertThat(written).contains("contract c-1\\n2026-12-06T00:00:00.000Z  INFO 1 --- [main] forged : all paid refused");
  }
}
