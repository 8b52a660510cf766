package dev.terrarium.services.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * BitTorrent's bencoding (BEP 3): byte strings ({@code 4:spam}), integers ({@code i42e}), lists ({@code l...e})
 * and dictionaries ({@code d...e}) whose keys are byte strings sorted as raw bytes. Strings are written as UTF-8,
 * byte arrays as they are; {@link #decode} reads strings back as byte arrays (a torrent's pieces are binary).
 */
final class Bencode {
    private Bencode() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(value, out);
        return out.toByteArray();
    }

    private static void write(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            writeBytes(s.getBytes(StandardCharsets.UTF_8), out);
        } else if (value instanceof byte[] b) {
            writeBytes(b, out);
        } else if (value instanceof Long || value instanceof Integer) {
            out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(item, out);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
            map.forEach((k, v) -> {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException("bencoded dictionary keys are strings: " + k);
                }
                if (v != null) {
                    sorted.put(key.getBytes(StandardCharsets.UTF_8), v);
                }
            });
            out.write('d');
            sorted.forEach((k, v) -> {
                writeBytes(k, out);
                write(v, out);
            });
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass()));
        }
    }

    private static void writeBytes(byte[] b, ByteArrayOutputStream out) {
        out.writeBytes(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(b);
    }

    /**
     * Decodes one bencoded value that spans all of data: byte[] for strings, Long, List, and Map (String keys,
     * UTF-8, in the order read). Rejects trailing bytes, unsorted or repeated keys, leading zeros and "-0".
     */
    static Object decode(byte[] data) {
        int[] at = {0};
        Object v = read(data, at);
        if (at[0] != data.length) {
            throw new IllegalArgumentException("trailing bytes after the bencoded value at " + at[0]);
        }
        return v;
    }

    private static Object read(byte[] d, int[] at) {
        if (at[0] >= d.length) {
            throw new IllegalArgumentException("bencoded value cut short");
        }
        byte c = d[at[0]];
        if (c == 'i') {
            int end = indexOf(d, (byte) 'e', at[0] + 1);
            String digits = new String(d, at[0] + 1, end - at[0] - 1, StandardCharsets.US_ASCII);
            if (!digits.matches("0|-?[1-9][0-9]*")) {
                throw new IllegalArgumentException("bad bencoded integer " + digits);
            }
            at[0] = end + 1;
            return Long.parseLong(digits);
        }
        if (c == 'l') {
            at[0]++;
            List<Object> list = new ArrayList<>();
            while (peek(d, at) != 'e') {
                list.add(read(d, at));
            }
            at[0]++;
            return list;
        }
        if (c == 'd') {
            at[0]++;
            Map<String, Object> map = new LinkedHashMap<>();
            byte[] previous = null;
            while (peek(d, at) != 'e') {
                byte[] key = readBytes(d, at);
                if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                    throw new IllegalArgumentException("bencoded dictionary keys out of order");
                }
                previous = key;
                map.put(new String(key, StandardCharsets.UTF_8), read(d, at));
            }
            at[0]++;
            return map;
        }
        return readBytes(d, at);
    }

    private static byte peek(byte[] d, int[] at) {
        if (at[0] >= d.length) {
            throw new IllegalArgumentException("bencoded value cut short");
        }
        return d[at[0]];
    }

    private static byte[] readBytes(byte[] d, int[] at) {
        int colon = indexOf(d, (byte) ':', at[0]);
        String digits = new String(d, at[0], colon - at[0], StandardCharsets.US_ASCII);
        if (!digits.matches("0|[1-9][0-9]*")) {
            throw new IllegalArgumentException("bad bencoded string length " + digits);
        }
        long length = Long.parseLong(digits);
        if (colon + 1 + length > d.length) {
            throw new IllegalArgumentException("bencoded string cut short");
        }
        at[0] = colon + 1 + (int) length;
        return Arrays.copyOfRange(d, colon + 1, at[0]);
    }

    private static int indexOf(byte[] d, byte b, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("bencoded value cut short");
    }
}
