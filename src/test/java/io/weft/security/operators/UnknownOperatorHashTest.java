package io.weft.security.operators;

import io.weft.security.KeyHashes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unknown operator's login is checked against a fixed hash, so it costs what a known one costs: that hash must be
 * at the rounds passwords are hashed with (else timing would tell names apart again) and be a real hash.
 */
class UnknownOperatorHashTest {
    @Test
    void theUnknownNamesHashCostsWhatAPasswordHashCosts() {
        assertTrue(KeyHashes.isHash(Operators.DUMMY), Operators.DUMMY);
        assertEquals(String.valueOf(KeyHashes.PASSWORD_ITERATIONS), Operators.DUMMY.split(":")[1]);
        assertTrue(KeyHashes.matches("not a password", Operators.DUMMY));
    }
}
