package io.weft.testing;

import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A wait for "exactly one" that does not stop at the first moment the count is one: once the assertion holds, it
 * waits a further {@link #AGAIN} (longer than the test profiles' delivery poll interval and retry backoff) and asserts
 * again, so that a duplicate arriving just after is seen.
 */
public final class Settle {
    public static final Duration AGAIN = Duration.ofMillis(1500);

    private Settle() {
    }

    public static void awaitAndHold(Duration atMost, ThrowingRunnable assertion) {
        await().atMost(atMost).untilAsserted(assertion);
        try {
            Thread.sleep(AGAIN.toMillis());
            assertion.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
