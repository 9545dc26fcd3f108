package org.opentsdbcatchpoint.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one token rule, and a rotation: the new token and the one it replaces, the old one's uses counted. */
class AccessTokenTest {
  @Test
  void missingIs401WrongIs403RightIsOk() {
    AccessToken t = AccessToken.of("s3cret-new");
    assertEquals(AccessToken.Verdict.MISSING, t.check(null));
    assertEquals(AccessToken.Verdict.MISSING, t.check(""));
    assertEquals(AccessToken.Verdict.WRONG, t.check("s3cret-ne"));
    assertEquals(AccessToken.Verdict.WRONG, t.check("S3CRET-NEW"), "tokens are compared exactly");
    assertEquals(AccessToken.Verdict.OK, t.check("s3cret-new"));
    assertNull(AccessToken.of(""));
    assertFalse(t.toString().contains("s3cret"), t.toString());
  }

  @Test
  void duringARotationBothTokensAreTakenAndEachUseOfTheOldOneIsReported() {
    AtomicInteger oldUses = new AtomicInteger();
    AccessToken t = AccessToken.rotating("s3cret-new", "s3cret-old", oldUses::incrementAndGet);
    assertEquals(AccessToken.Verdict.OK, t.check("s3cret-new"));
    assertEquals(0, oldUses.get(), "the new token is not counted as the old one");
    assertEquals(AccessToken.Verdict.OK, t.check("s3cret-old"));
    assertEquals(AccessToken.Verdict.OK, t.check("s3cret-old"));
    assertEquals(2, oldUses.get());
    assertEquals(AccessToken.Verdict.WRONG, t.check("s3cret-older"));
    assertEquals(AccessToken.Verdict.MISSING, t.check(null));
    assertEquals(2, oldUses.get(), "refusals are not uses of the old token");
    assertFalse(t.toString().contains("s3cret"), t.toString());
  }

  @Test
  void outsideARotationOnlyTheTokenIsTaken() {
    AtomicInteger oldUses = new AtomicInteger();
    AccessToken t = AccessToken.rotating("s3cret-new", null, oldUses::incrementAndGet);
    assertEquals(AccessToken.Verdict.OK, t.check("s3cret-new"));
    assertEquals(AccessToken.Verdict.WRONG, t.check("null"));
    assertEquals(AccessToken.Verdict.WRONG, AccessToken.rotating("s3cret-new", "", oldUses::incrementAndGet).check(""
        + "x"), "an empty previous token is none");
    assertNull(AccessToken.rotating(null, "s3cret-old", oldUses::incrementAndGet), "no token: nothing to check");
    assertEquals(0, oldUses.get());
  }
}
