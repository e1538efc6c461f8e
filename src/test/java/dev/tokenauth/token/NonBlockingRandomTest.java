package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NonBlockingRandomTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxEveryByteComesFromDevUrandomWhichNeverBlocks() {
        SecureRandom random = NonBlockingRandom.create();

        assertEquals("NativePRNGNonBlocking", random.getAlgorithm());
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        random.nextBytes(a);
        random.nextBytes(b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }
}
