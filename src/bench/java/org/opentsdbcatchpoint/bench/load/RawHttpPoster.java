package org.opentsdbcatchpoint.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over one blocking keep-alive socket: the request in one write, the answer read by its
 * Content-Length (or chunks). The load generator shares the machine's two cores with the TSD and
 * HBase, so it must spend as little CPU per request as it can; this costs a fraction of what the JDK
 * HttpClient does (see the README of the benchmark, integration-tests/bench.sh).
 */
final class RawHttpPoster implements HttpPoster {
  static final Factory FACTORY = RawHttpPoster::new;
  private static final int TIMEOUT_MILLIS = 120_000;

  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  private RawHttpPoster(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Reply post(String target, byte[] body) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      return exchange(target, body);
    } catch (IOException e) {
      close(); // the next request opens a fresh connection
      throw e;
    }
  }

  private Reply exchange(String target, byte[] body) throws IOException {
    String head = "POST " + target + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    out.write(request);
    out.flush();

    String status = line();
    int code = Integer.parseInt(status.split(" ", 3)[1]);
    int length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    boolean noBody = code == 204 || code == 304;
    byte[] answer = noBody ? new byte[0] : chunked ? chunks() : length >= 0 ? exactly(length) : untilClosed();
    if (close || (length < 0 && !chunked && !noBody)) {
      close();
    }
    return new Reply(code, answer);
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.connect(new InetSocketAddress(host, port), 5_000);
    socket = s;
    out = s.getOutputStream();
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("the TSD closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private byte[] exactly(int length) throws IOException {
    byte[] b = new byte[length];
    int read = 0;
    while (read < length) {
      int n = in.read(b, read, length - read);
      if (n < 0) {
        throw new EOFException("the TSD closed the connection in the middle of an answer");
      }
      read += n;
    }
    return b;
  }

  private byte[] chunks() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().trim().split(";")[0], 16); size > 0;
        size = Integer.parseInt(line().trim().split(";")[0], 16)) {
      body.write(exactly(size));
      line();
    }
    while (!line().isEmpty()) {
      // trailers
    }
    return body.toByteArray();
  }

  private byte[] untilClosed() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
