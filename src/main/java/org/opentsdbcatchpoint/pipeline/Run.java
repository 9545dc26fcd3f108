package org.opentsdbcatchpoint.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One test run on one node, whatever the source (push or pull): identity, the run time and its
 * numeric results. Everything after a Run is shared between sources, so the same run arriving twice
 * produces the same datapoints.
 */
public final class Run {
  private final long testId;
  private final Integer typeId;
  private final long nodeId;
  private final long timestampSeconds;
  private final Integer step;
  private final String testName;
  private final String nodeName;
  private final List<Measurement> measurements;

  private Run(Builder b) {
    this.testId = b.testId;
    this.typeId = b.typeId;
    this.nodeId = b.nodeId;
    this.timestampSeconds = b.timestampSeconds;
    this.step = b.step;
    this.testName = b.testName;
    this.nodeName = b.nodeName;
    this.measurements = Collections.unmodifiableList(new ArrayList<>(b.measurements));
  }

  public long testId() {
    return testId;
  }

  /** Catchpoint's {@code TypeId}; null when the payload did not say. */
  public Integer typeId() {
    return typeId;
  }

  public String testType() {
    return TestType.nameOf(typeId);
  }

  public long nodeId() {
    return nodeId;
  }

  /** The run time in epoch seconds, UTC. */
  public long timestampSeconds() {
    return timestampSeconds;
  }

  /** Transaction step, when the source gives one. */
  public Integer step() {
    return step;
  }

  /** The test's name as the source gave it (a push's test name, a REST answer's test breakdown), or null. */
  public String testName() {
    return testName;
  }

  /** The node's name as the source gave it ({@code "Frankfurt, DE - AWS"}), or null. */
  public String nodeName() {
    return nodeName;
  }

  public List<Measurement> measurements() {
    return measurements;
  }

  public static Builder builder(long testId, long nodeId, long timestampSeconds) {
    return new Builder(testId, nodeId, timestampSeconds);
  }

  @Override
  public String toString() {
    return "Run{test=" + testId + ", type=" + testType() + ", node=" + nodeId + ", t="
        + timestampSeconds + (step != null ? ", step=" + step : "") + ", " + measurements + "}";
  }

  /** Collects a run's fields while a decoder walks a payload. */
  public static final class Builder {
    private final long testId;
    private final long nodeId;
    private final long timestampSeconds;
    private Integer typeId;
    private Integer step;
    private String testName;
    private String nodeName;
    private final List<Measurement> measurements = new ArrayList<>();

    private Builder(long testId, long nodeId, long timestampSeconds) {
      this.testId = testId;
      this.nodeId = nodeId;
      this.timestampSeconds = timestampSeconds;
    }

    public Builder typeId(Integer typeId) {
      this.typeId = typeId;
      return this;
    }

    public Builder step(Integer step) {
      this.step = step;
      return this;
    }

    /** The names the source gave the test and the node (either may be null); never tags, only shown. */
    public Builder names(String testName, String nodeName) {
      this.testName = blankToNull(testName);
      this.nodeName = blankToNull(nodeName);
      return this;
    }

    private static String blankToNull(String s) {
      return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    public Builder add(Measurement m) {
      measurements.add(m);
      return this;
    }

    public Builder add(String metric, double value) {
      return add(new Measurement(metric, value));
    }

    public Run build() {
      return new Run(this);
    }
  }
}
