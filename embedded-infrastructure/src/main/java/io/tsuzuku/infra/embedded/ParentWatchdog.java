package io.tsuzuku.infra.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;

/**
 * A Java agent loaded into every child server this module starts. The parent keeps the child's
 * standard input open for as long as it lives; when the parent dies, however it dies (Ctrl-C, a
 * failed start, {@code kill -9}, a test JVM that crashed), the operating system closes that pipe,
 * the read below returns, and the child exits. So no server outlives the process that started it.
 *
 * <p>Self-contained on purpose: only this class is copied into the agent jar.
 */
public final class ParentWatchdog {

  private ParentWatchdog() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    var watchdog = new Thread(ParentWatchdog::waitForParentToGo, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void waitForParentToGo() {
    InputStream in = System.in;
    try {
      while (in.read() != -1) {
        // the parent writes nothing; any byte is ignored
      }
    } catch (IOException parentGone) {
      // a broken pipe means the same as end of input
    }
    System.exit(0);
  }
}
