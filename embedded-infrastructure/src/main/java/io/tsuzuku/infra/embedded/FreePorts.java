package io.tsuzuku.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port nobody listens on right now, for a server that cannot bind port 0 itself. */
final class FreePorts {

  private FreePorts() {}

  static int pick(int wanted) {
    if (wanted > 0) {
      return wanted;
    }
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
