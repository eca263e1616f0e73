package io.github.sysloadexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8BufferTest {

    @Test
    void encodesAsTheJdkDoesThroughEveryWriteMethod() {
        String text = "sysload_io_util{device=\"nvme0n1\"} 12.5\n# HELP é ü ß € 漢字 \uD83D\uDE00 end\n";
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);

        Utf8Buffer whole = new Utf8Buffer(1);
        whole.write(text);
        assertArrayEquals(expected, whole.toByteArray());

        Utf8Buffer byChar = new Utf8Buffer(1);
        for (int i = 0; i < text.length(); i++) {
            if (i % 2 == 0) {
                byChar.append(text.charAt(i));
            } else {
                byChar.write(text.charAt(i));
            }
        }
        assertArrayEquals(expected, byChar.toByteArray());

        Utf8Buffer pieces = new Utf8Buffer(4);
        char[] chars = text.toCharArray();
        pieces.write(chars, 0, 7);
        pieces.append(text, 7, 40);
        pieces.write(text, 40, text.length() - 40);
        assertArrayEquals(expected, pieces.toByteArray());
    }

    @Test
    void loneSurrogatesBecomeQuestionMarksAsInTheJdk() {
        for (String s : new String[] {"a\uD83Db", "a\uDE00b", "end\uD83D", "\uD83D\uD83D\uDE00", "\uDE00\uD83D"}) {
            Utf8Buffer out = new Utf8Buffer(2);
            out.write(s);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), out.toByteArray(), s);
        }
    }

    @Test
    void randomTextMatchesTheJdkEncoder() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(300);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(4);
                sb.append((char)
                        (kind == 0
                                ? random.nextInt(0x80)
                                : kind == 1
                                        ? 0x80 + random.nextInt(0x780)
                                        : kind == 2 ? random.nextInt(0x10000) : 0xD800 + random.nextInt(0x800)));
            }
            String s = sb.toString();
            Utf8Buffer out = new Utf8Buffer(8);
            out.write(s);
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), out.toByteArray(), "round " + round);
        }
    }
}
