package org.opentsdbcatchpoint.tsd;

import java.util.List;
import java.util.Map;
import net.opentsdb.tsd.HttpRpcPluginQuery;
import org.jboss.netty.buffer.ChannelBuffer;
import org.jboss.netty.buffer.ChannelBuffers;
import org.jboss.netty.handler.codec.http.HttpResponseStatus;

/** {@link PluginExchange} over OpenTSDB's query object. Responding is safe from any thread. */
final class QueryExchange implements PluginExchange {
  private final HttpRpcPluginQuery query;

  QueryExchange(HttpRpcPluginQuery query) {
    this.query = query;
  }

  @Override
  public String method() {
    return query.method().getName();
  }

  @Override
  public String path() {
    return query.getQueryPath();
  }

  @Override
  public Map<String, List<String>> params() {
    return query.getQueryString();
  }

  @Override
  public String header(String name) {
    return query.request().headers().get(name);
  }

  @Override
  public int bodySize() {
    ChannelBuffer content = query.request().getContent();
    return content == null ? 0 : content.readableBytes();
  }

  @Override
  public byte[] body(int max) {
    ChannelBuffer content = query.request().getContent();
    if (content == null || !content.readable()) {
      return new byte[0];
    }
    byte[] b = new byte[Math.min(content.readableBytes(), max)];
    content.getBytes(content.readerIndex(), b);
    return b;
  }

  @Override
  public void respond(int status, String contentType, Map<String, String> headers, byte[] body) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      query.response().headers().set(h.getKey(), h.getValue());
    }
    query.sendBuffer(HttpResponseStatus.valueOf(status), ChannelBuffers.wrappedBuffer(body), contentType);
  }
}
