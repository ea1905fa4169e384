package org.cmtp.crypto;

import java.math.BigInteger;

/**
 * Slow, obviously-correct edwards25519 arithmetic on BigIntegers, only to build
 * hostile test inputs (e.g. a key plus a torsion point). Not constant time.
 */
final class EdwardsPoints {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_MINUS_ONE =
            BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    private EdwardsPoints() {
    }

    /** The encoding of the sum of two encoded points. */
    static byte[] add(byte[] a, byte[] b) {
        BigInteger[] p = decode(a);
        BigInteger[] q = decode(b);
        BigInteger x1y2 = p[0].multiply(q[1]);
        BigInteger y1x2 = p[1].multiply(q[0]);
        BigInteger y1y2 = p[1].multiply(q[1]);
        BigInteger x1x2 = p[0].multiply(q[0]);
        BigInteger dxxyy = D.multiply(x1x2).multiply(y1y2).mod(P);
        BigInteger x = x1y2.add(y1x2).multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
        BigInteger y = y1y2.add(x1x2).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
        return encode(x, y);
    }

    private static BigInteger[] decode(byte[] encoded) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[31 - i] = encoded[i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        BigInteger y = new BigInteger(1, bigEndian);
        BigInteger y2 = y.multiply(y).mod(P);
        BigInteger u = y2.subtract(BigInteger.ONE).multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
        BigInteger x = u.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(u)) {
            x = x.multiply(SQRT_MINUS_ONE).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(u)) {
            throw new IllegalArgumentException("not a point");
        }
        if (x.testBit(0) != xOdd) {
            x = P.subtract(x).mod(P);
        }
        return new BigInteger[] {x, y};
    }

    private static byte[] encode(BigInteger x, BigInteger y) {
        byte[] bigEndian = y.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }
}
