package io.weft.delivery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Failures group by cause: what differs between occurrences of one cause is collapsed, the cause itself is kept. */
class ErrorSignatureTest {

    @Test
    void idsOrderNumbersAndTimesCollapseSoOneCauseIsOneGroup() {
        assertEquals(ErrorSignature.of("HTTP 422 for order 1000123: line P1 closed at 2026-12-01T06:00:01Z"),
                ErrorSignature.of("HTTP 422 for order 1000124: line P1 closed at 2026-12-01T06:17:44Z"));
        assertEquals(ErrorSignature.of("message 01933a6e-7c1f-7a2b-9c3d-4e5f60718293 refused, trace 4bf92f3577b34da6a3ce929d0e0e4736"),
                ErrorSignature.of("message 01933a6e-0000-7a2b-9c3d-4e5f60718299 refused, trace 00f067aa0ba902b7aaaaaaaaaaaaaaaa"));
        assertEquals(ErrorSignature.of("cannot connect to 127.0.0.1:8094"), ErrorSignature.of("cannot connect to 127.0.0.1:8095"));
    }

    @Test
    void theHttpStatusAndTheWordsStay() {
        assertNotEquals(ErrorSignature.of("HTTP 500 from the MES"), ErrorSignature.of("HTTP 503 from the MES"));
        assertEquals("HTTP 500 from the MES", ErrorSignature.of("HTTP 500   from the MES"));
        assertEquals("", ErrorSignature.of(null));
        assertEquals(300, ErrorSignature.of("x".repeat(1000)).length());
    }
}
