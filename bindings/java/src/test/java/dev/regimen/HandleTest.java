package dev.regimen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** close() and the PhantomReference safety net that replaces java.lang.ref.Cleaner. */
final class HandleTest {
  private static final long GC_TIMEOUT_MS = 20_000;

  @Test
  void closeIsIdempotentAndFreesNow() {
    int before = Native.liveHandles();
    Catalog catalog = Catalog.defaultCatalog();
    Session session = new Session(catalog, catalog.routine("back_basics", Format.BINARY), Format.BINARY);
    assertTrue(Native.liveHandles() >= before + 2, "two more handles");
    int open = Native.liveHandles();
    session.close();
    assertFalse(session.isOpen());
    assertFalse(session.handle().isOpen());
    session.close();
    catalog.close();
    catalog.close();
    assertFalse(catalog.isOpen());
    // Other tests' garbage may be freed meanwhile: the count only goes down.
    assertTrue(Native.liveHandles() <= open - 2, "both freed by close()");
    RegimenException e = assertThrows(RegimenException.class, () -> session.tick(0));
    assertEquals("FAILED_PRECONDITION", e.getCode());
    e = assertThrows(RegimenException.class, () -> catalog.routine("back_basics", Format.BINARY));
    assertEquals("FAILED_PRECONDITION", e.getCode());
  }

  @Test
  void anUnreachableSessionIsFreed() throws InterruptedException {
    Native.Handle catalogHandle;
    Native.Handle sessionHandle;
    int before = Native.liveHandles();
    {
      Catalog catalog = Catalog.defaultCatalog();
      Session session =
          new Session(catalog, catalog.routine("back_basics", Format.BINARY), Format.BINARY);
      session.start(0);
      catalogHandle = catalog.handle();
      sessionHandle = session.handle();
      assertTrue(Native.liveHandles() >= before + 2);
    }
    // The handles do not keep their owners reachable; the owners are garbage now.
    long deadline = System.currentTimeMillis() + GC_TIMEOUT_MS;
    while ((sessionHandle.isOpen() || catalogHandle.isOpen() || Native.liveHandles() > before)
        && System.currentTimeMillis() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertFalse(sessionHandle.isOpen(), "the dropped session was freed");
    assertFalse(catalogHandle.isOpen(), "the dropped catalog was freed");
    assertTrue(Native.liveHandles() <= before, "no live handle is left from this test");
  }

  @Test
  void closeWaitsForACallInFlight() {
    Catalog catalog = Catalog.defaultCatalog();
    Native.Handle handle = catalog.handle();
    int open = Native.liveHandles();
    long pointer = handle.acquire("catalog");
    catalog.close();
    assertFalse(catalog.isOpen(), "closed at once");
    assertEquals(open, Native.liveHandles(), "not freed while a call holds the pointer");
    assertTrue(Native.catalogRoutine(pointer, "back_basics", Format.BINARY.value).length > 0);
    handle.release();
    assertTrue(Native.liveHandles() <= open - 1, "freed when the call returned");
  }
}
