package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class Base62Test {

    @Test
    void encodeZeroIsAllZeroDigitsOfTheRequestedWidth() {
        assertEquals("000000", Base62.encode(BigInteger.ZERO, 6));
    }

    @Test
    void encodeLeftPadsSmallValuesWithZeroDigits() {
        assertEquals("00000z", Base62.encode(BigInteger.valueOf(61), 6), "61 is the last digit, 'z'");
        assertEquals("000010", Base62.encode(BigInteger.valueOf(62), 6), "62 carries into the second digit");
        assertEquals("0000A0", Base62.encode(BigInteger.valueOf(10 * 62), 6));
    }

    @Test
    void encodeOfTheLargestValueThatFitsIsAllTopDigits() {
        BigInteger max = BigInteger.valueOf(62).pow(4).subtract(BigInteger.ONE);
        assertEquals("zzzz", Base62.encode(max, 4));
    }

    @Test
    void encodeAlwaysReturnsExactlyTheRequestedWidth() {
        for (int width = 1; width <= 50; width++) {
            assertEquals(width, Base62.encode(BigInteger.ONE, width).length(), "width " + width);
        }
    }

    @Test
    void encodeThrowsWhenTheValueDoesNotFitInTheWidth() {
        BigInteger tooBig = BigInteger.valueOf(62).pow(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base62.encode(tooBig, 4));
        assertEquals("value does not fit in 4 base62 digits", e.getMessage());
    }

    @Test
    void encodeThrowsOnANegativeValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Base62.encode(BigInteger.valueOf(-1), 6));
        assertEquals("negative value", e.getMessage());
    }

    @Test
    void widthForIsTheSmallestWidthThatHoldsEveryValueOfThatManyBits() {
        for (int bits : new int[] {8, 32, 64, 128, 256}) {
            int width = Base62.widthFor(bits);
            BigInteger largest = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            assertEquals(width, Base62.encode(largest, width).length(), bits + " bits should fit in " + width);
            assertThrows(IllegalArgumentException.class, () -> Base62.encode(largest, width - 1),
                    bits + " bits should not fit in " + (width - 1) + " digits");
        }
    }

    @Test
    void isDigitAcceptsExactlyTheAlphabet() {
        for (char c = 0; c < 256; c++) {
            assertEquals(Base62.ALPHABET.indexOf(c) >= 0, Base62.isDigit(c), "character " + (int) c);
        }
    }

    @Test
    void encodeOfALongGivesWhatTheBigIntegerEncodingGivesForEveryCrc32SizedValueTried() {
        java.util.Random random = new java.util.Random(7);
        long[] edges = {0, 1, 61, 62, 3843, 3844, 0xFFFFFFFFL, 0x7FFFFFFFL};
        for (long value : edges) {
            assertEquals(Base62.encode(BigInteger.valueOf(value), 6), Base62.encode(value, 6), Long.toString(value));
        }
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() & 0xFFFFFFFFL;
            assertEquals(Base62.encode(BigInteger.valueOf(value), 6), Base62.encode(value, 6), Long.toString(value));
        }
    }

    @Test
    void encodeOfALongThrowsWhenItDoesNotFitOrIsNegative() {
        assertThrows(IllegalArgumentException.class, () -> Base62.encode(62L, 1));
        assertThrows(IllegalArgumentException.class, () -> Base62.encode(-1L, 6));
    }

    @Test
    void decodeIsTheInverseOfEncodeForEveryWidthUpToTen() {
        java.util.Random random = new java.util.Random(62);
        for (int width = 1; width <= 10; width++) {
            long bound = BigInteger.valueOf(62).pow(width).longValueExact();
            for (long value : new long[] {0, 1, 61, bound - 1, Math.floorMod(random.nextLong(), bound),
                    Math.floorMod(random.nextLong(), bound)}) {
                byte[] digits = ("x" + Base62.encode(value, width) + "y").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                assertEquals(value, Base62.decode(digits, 1, width), value + " in " + width + " digits");
            }
        }
        assertEquals(419796809L, Base62.decode("0SPQKH".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 6));
    }

    @Test
    void decodeRefusesMoreDigitsThanALongHolds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base62.decode(new byte[11], 0, 11));
        assertEquals("more than 10 base62 digits do not fit in a long", e.getMessage());
    }
}
