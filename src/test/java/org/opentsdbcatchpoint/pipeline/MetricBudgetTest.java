package org.opentsdbcatchpoint.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentsdbcatchpoint.mapping.Vocabulary;

class MetricBudgetTest {
  private final MetricBudget budget = new MetricBudget(Vocabulary::inTable, 3, 5);

  @Test
  void namesOfTheTableAreAlwaysAllowedAndNeverCounted() {
    MetricBudget.Allowance a = budget.allowance();
    for (String metric : Vocabulary.table()) {
      assertNull(a.refusal(metric), metric);
    }
    assertEquals(0, a.created());
    assertEquals(0, budget.derivedNames());
  }

  @Test
  void oneRequestCreatesAtMostItsShareOfNewNames() {
    MetricBudget.Allowance a = budget.allowance();
    assertNull(a.refusal("catchpoint.timing.k1"));
    assertNull(a.refusal("catchpoint.timing.k2"));
    assertNull(a.refusal("catchpoint.timing.k1"), "a name it created is not new a second time");
    assertNull(a.refusal("catchpoint.timing.k3"));
    String refusal = a.refusal("catchpoint.timing.k4");
    assertNotNull(refusal);
    assertTrue(refusal.contains("metrics.max_new_per_request (3)"), refusal);
    assertEquals(3, a.created());
    assertEquals(3, budget.derivedNames());

    MetricBudget.Allowance next = budget.allowance();
    assertNull(next.refusal("catchpoint.timing.k1"), "an existing name costs the next request nothing");
    assertNull(next.refusal("catchpoint.timing.k4"));
    assertEquals(1, next.created());
  }

  @Test
  void thePluginCreatesAtMostMaxDerivedInAll() {
    for (int r = 0; r < 2; r++) {
      MetricBudget.Allowance a = budget.allowance();
      for (int i = 0; i < 3; i++) {
        a.refusal("catchpoint.timing.r" + r + "_" + i);
      }
    }
    assertEquals(5, budget.derivedNames());
    String refusal = budget.allowance().refusal("catchpoint.timing.one_more");
    assertTrue(refusal.contains("metrics.max_derived (5"), refusal);
  }

  @Test
  void namesTheTsdAlreadyHoldsCountAndAreWrittenFreely() {
    budget.seed(Arrays.asList(Vocabulary.RUN, "catchpoint.timing.old1", "catchpoint.timing.old2",
        "catchpoint.timing.old3", "catchpoint.timing.old4"));
    assertEquals(4, budget.derivedNames(), "table names are not derived");
    MetricBudget.Allowance a = budget.allowance();
    assertNull(a.refusal("catchpoint.timing.old3"));
    assertNull(a.refusal("catchpoint.timing.new1"));
    assertNotNull(a.refusal("catchpoint.timing.new2"), "5 in all");
    assertEquals(1, a.created());
  }

  @Test
  void aNameTheStoreDidNotCreateFreesItsPlace() {
    MetricBudget tight = new MetricBudget(Vocabulary::inTable, 1, 1);
    assertNull(tight.allowance().refusal("catchpoint.timing.a"));
    tight.notCreated("catchpoint.timing.a");
    assertEquals(0, tight.derivedNames());
    assertNull(tight.allowance().refusal("catchpoint.timing.b"));
  }
}
