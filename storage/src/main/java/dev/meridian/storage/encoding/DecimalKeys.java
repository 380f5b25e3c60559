package dev.meridian.storage.encoding;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * DECIMAL layout. A non-zero value is written as {@code 0.d1d2…dk × 10^E} with {@code d1 != 0}
 * and {@code dk != 0} (trailing zeros dropped, so the scale is not stored and 1.0 equals 1.00).
 * Positive values order first by E, then by the digit string (a shorter string that is a
 * prefix of a longer one is smaller), so the body is the signed form of E, the digits two per
 * byte as {@code 1 + 10*hi + lo} (an odd count padded with a 0 digit), and {@code 0x00}, which is
 * below every digit byte. Negative values use the inverted body of their absolute value, which
 * reverses that order.
 */
final class DecimalKeys {

    private static final int MAX_PAIR_BYTE = 100;

    private DecimalKeys() {
    }

    static void write(KeyWriter w, BigDecimal value, int mask) {
        int signum = value.signum();
        if (signum == 0) {
            w.putChecked(Markers.DECIMAL_ZERO, mask);
            return;
        }
        String digits = value.unscaledValue().abs().toString();
        // E does not depend on trailing zeros, so take it before dropping them.
        long exponent = (long) digits.length() - value.scale();
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        long normalizedScale = end - exponent;
        if (normalizedScale < Integer.MIN_VALUE || normalizedScale > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("decimal out of key-encodable range: scale "
                    + normalizedScale + " without trailing zeros does not fit in an int");
        }
        w.putChecked(signum > 0 ? Markers.DECIMAL_POSITIVE : Markers.DECIMAL_NEGATIVE, mask);
        int bodyMask = signum > 0 ? mask : mask ^ 0xFF;
        w.putSigned(exponent, bodyMask);
        for (int i = 0; i < end; i += 2) {
            int hi = digits.charAt(i) - '0';
            int lo = i + 1 < end ? digits.charAt(i + 1) - '0' : 0;
            w.putChecked(1 + 10 * hi + lo, bodyMask);
        }
        w.putChecked(Markers.DIGITS_END, bodyMask);
    }

    /** Reads the value after its marker, which the caller has consumed. */
    static BigDecimal readBody(KeyReader r, int marker, int mask) {
        if (marker == Markers.DECIMAL_ZERO) {
            return BigDecimal.ZERO;
        }
        boolean negative = marker == Markers.DECIMAL_NEGATIVE;
        int bodyMask = negative ? mask ^ 0xFF : mask;
        int start = r.position();
        long exponent = r.readSignedBody(bodyMask);
        StringBuilder digits = new StringBuilder();
        for (int b = r.nextByte(bodyMask); b != Markers.DIGITS_END; b = r.nextByte(bodyMask)) {
            if (b > MAX_PAIR_BYTE) {
                throw new KeyDecodingException("bad decimal digit byte " + Markers.hex(b), r.position() - 1);
            }
            digits.append((char) ('0' + (b - 1) / 10)).append((char) ('0' + (b - 1) % 10));
        }
        int length = digits.length();
        if (length > 0 && digits.charAt(length - 1) == '0') {
            length--;
        }
        if (length == 0 || digits.charAt(0) == '0' || digits.charAt(length - 1) == '0') {
            throw new KeyDecodingException("non-canonical decimal digits " + digits, start);
        }
        long scale = length - exponent;
        if (scale < Integer.MIN_VALUE || scale > Integer.MAX_VALUE) {
            throw new KeyDecodingException("decimal exponent " + exponent + " out of range", start);
        }
        BigInteger unscaled = new BigInteger(digits.substring(0, length));
        return new BigDecimal(negative ? unscaled.negate() : unscaled, (int) scale);
    }
}
