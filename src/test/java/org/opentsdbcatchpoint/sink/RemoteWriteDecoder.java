package org.opentsdbcatchpoint.sink;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a remote-write body with code that is not the plugin's: the reference snappy (snappy-java, test
 * scope) and protobuf-java's own parser (the TSD's 2.5) over a descriptor of prometheus's remote.proto
 * and types.proto (the fields remote write 1.0 uses), built here field by field.
 */
final class RemoteWriteDecoder {
  private static final Descriptors.Descriptor WRITE_REQUEST;

  static {
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("prometheus/remote.proto")
        .setPackage("prometheus")
        .addMessageType(message("Sample", field("value", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, null, false),
            field("timestamp", 2, FieldDescriptorProto.Type.TYPE_INT64, null, false)))
        .addMessageType(message("Label", field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, null, false),
            field("value", 2, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
        .addMessageType(message("TimeSeries",
            field("labels", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Label", true),
            field("samples", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Sample", true)))
        .addMessageType(message("WriteRequest",
            field("timeseries", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.TimeSeries", true)))
        .build();
    try {
      WRITE_REQUEST = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
          .findMessageTypeByName("WriteRequest");
    } catch (Descriptors.DescriptorValidationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
    DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
    for (FieldDescriptorProto f : fields) {
      b.addField(f);
    }
    return b.build();
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, String typeName,
      boolean repeated) {
    FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
    if (typeName != null) {
      b.setTypeName(typeName);
    }
    return b.build();
  }

  /** One series as read: labels in the order they came, its samples' times (ms) and values. */
  static final class Series {
    final Map<String, String> labels = new LinkedHashMap<>();
    final List<Long> times = new ArrayList<>();
    final List<Double> values = new ArrayList<>();
  }

  private RemoteWriteDecoder() {}

  static byte[] unsnappy(byte[] body) throws IOException {
    return org.xerial.snappy.Snappy.uncompress(body);
  }

  /** Parses a WriteRequest (not compressed); fails on any field remote write 1.0 does not have. */
  static List<Series> parse(byte[] proto) throws IOException {
    DynamicMessage m = DynamicMessage.parseFrom(WRITE_REQUEST, proto);
    if (!m.getUnknownFields().asMap().isEmpty()) {
      throw new IOException("unknown fields in the WriteRequest: " + m.getUnknownFields());
    }
    List<Series> out = new ArrayList<>();
    Descriptors.Descriptor tsType = WRITE_REQUEST.findFieldByName("timeseries").getMessageType();
    Descriptors.Descriptor labelType = tsType.findFieldByName("labels").getMessageType();
    Descriptors.Descriptor sampleType = tsType.findFieldByName("samples").getMessageType();
    for (Object o : (List<?>) m.getField(WRITE_REQUEST.findFieldByName("timeseries"))) {
      DynamicMessage ts = (DynamicMessage) o;
      Series s = new Series();
      for (Object l : (List<?>) ts.getField(tsType.findFieldByName("labels"))) {
        DynamicMessage label = (DynamicMessage) l;
        String name = (String) label.getField(labelType.findFieldByName("name"));
        if (s.labels.put(name, (String) label.getField(labelType.findFieldByName("value"))) != null) {
          throw new IOException("label " + name + " twice");
        }
      }
      for (Object x : (List<?>) ts.getField(tsType.findFieldByName("samples"))) {
        DynamicMessage sample = (DynamicMessage) x;
        s.times.add((Long) sample.getField(sampleType.findFieldByName("timestamp")));
        s.values.add((Double) sample.getField(sampleType.findFieldByName("value")));
      }
      out.add(s);
    }
    return out;
  }

  /** The same message as protobuf-java writes it: the plugin's bytes must be exactly these. */
  static byte[] reserialized(byte[] proto) throws IOException {
    return DynamicMessage.parseFrom(WRITE_REQUEST, proto).toByteArray();
  }
}
