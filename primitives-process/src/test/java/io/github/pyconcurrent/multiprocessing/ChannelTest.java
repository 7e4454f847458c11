package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The control channel's handshake MAC is HMAC-SHA256, byte for byte. */
class ChannelTest {
    @Test
    void theHandshakeMacIsTheJdksHmacSha256() throws Exception {
        java.util.Random random = new java.util.Random(42);
        // A key as the launcher makes them, short ones, and ones longer than SHA-256's block (hashed first).
        for (int keyLength : new int[] {Channel.KEY_BYTES, 1, 64, 65, 200}) {
            for (int messageLength : new int[] {0, 32, 1000}) {
                byte[] key = new byte[keyLength];
                byte[] message = new byte[messageLength];
                random.nextBytes(key);
                random.nextBytes(message);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update((byte) 'C');
                assertArrayEquals(mac.doFinal(message), Channel.hmac(key, 'C', message), keyLength + "/" + messageLength);
            }
        }
    }
}
