package dev.taskq.store;

import java.security.SecureRandom;

/** Fencing tokens: 16 characters from an alphabet without look-alikes, from a secure random. */
final class Tokens {
  private static final char[] CHARS = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private final SecureRandom random = new SecureRandom();

  String next() {
    char[] c = new char[16];
    for (int i = 0; i < c.length; i++) {
      c[i] = CHARS[random.nextInt(CHARS.length)];
    }
    return new String(c);
  }
}
