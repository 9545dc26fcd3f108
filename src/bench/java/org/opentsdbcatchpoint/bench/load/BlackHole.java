package org.opentsdbcatchpoint.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A forwarding target that is dead the worst way: it accepts connections and never reads a byte, so a
 * sender's writes fill the socket buffers and then wait for their timeout. bench.sh points the TSD's
 * Graphite and InfluxDB forwarders at it to measure push latency while a target is dead.
 *
 * <p>Usage: {@code BlackHole PORT}; runs until killed. Listens on 127.0.0.1 only, with a small receive
 * buffer so that the senders reach the stalled state soon.
 */
public final class BlackHole {
  private BlackHole() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    List<Socket> held = new ArrayList<>(); // never closed, never read: the peer sees a live, stuck target
    try (ServerSocket server = new ServerSocket()) {
      server.setReceiveBufferSize(4096);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
      System.out.println("[blackhole] accepting on 127.0.0.1:" + port + ", reading nothing");
      while (true) {
        Socket s = server.accept();
        held.add(s);
        System.out.println("[blackhole] connection " + held.size() + " from " + s.getRemoteSocketAddress());
      }
    }
  }
}
