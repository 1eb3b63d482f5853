package dev.taskq.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The dashboard's random secret: whoever has it may read and change the queue, so it travels only
 * in the printed URL and in a cookie, and is compared in constant time.
 */
record Secret(String value) {
  /** 32 random bytes, URL-safe: as strong as Jupyter's token and short enough to copy. */
  static Secret random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  Secret {
    if (value == null || value.length() < 16) {
      throw new IllegalArgumentException("a dashboard secret has at least 16 characters");
    }
  }

  boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Never the secret itself: records print their fields, and this one must not reach a log. */
  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
