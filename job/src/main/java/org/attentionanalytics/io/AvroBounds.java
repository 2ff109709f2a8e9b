package org.attentionanalytics.io;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Checks an Avro binary body against its writer schema before it is decoded, so that decoding
 * can never allocate what the record does not contain. Avro's decoder trusts the lengths and
 * item counts in the data: a 46-byte record whose array claims 2^31 items makes it allocate an
 * array of that size (OutOfMemoryError). Here every string and bytes length must fit in the
 * bytes that remain, every array or map block count times the smallest encoding of one item
 * must too, enum and union indexes must be in range, and the body must end exactly at the end
 * of the input (no trailing bytes). Encoding rules: the Avro 1.12 specification, "Binary
 * Encoding".
 *
 * <p>Walking a body costs about as much as a fraction of decoding it and allocates nothing but
 * the walker. Items of zero-size types (null, an empty record) carry no bytes, so their counts
 * are bounded by {@link #MAX_EMPTY_ITEMS} instead.
 */
public final class AvroBounds {
    /** Most items of a zero-byte type (null, empty record) an array or map block may claim. */
    public static final long MAX_EMPTY_ITEMS = 10_000;

    /** Deepest nesting of records, arrays, maps and unions the walk follows. */
    static final int MAX_DEPTH = 64;

    private static final Schema MAP_KEY = Schema.create(Schema.Type.STRING);

    private final Map<Schema, Integer> minSizes = new IdentityHashMap<>();
    private byte[] buf;
    private int pos;
    private int end;

    /** Why a body does not match its writer schema; the message never quotes the data. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param writer the schema the body was written with
     * @param data the bytes holding the body
     * @param offset where the body starts
     * @param length the body's length in bytes
     * @throws MalformedException when a length, count or index does not fit, or bytes remain after the body
     */
    public void check(Schema writer, byte[] data, int offset, int length) throws MalformedException {
        buf = data;
        pos = offset;
        end = offset + length;
        try {
            walk(writer, 0);
            if (pos != end) {
                throw new MalformedException((end - pos) + " bytes after the end of the " + writer.getName() + " body");
            }
        } finally {
            buf = null;
        }
    }

    private void walk(Schema s, int depth) throws MalformedException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("nesting deeper than " + MAX_DEPTH);
        }
        switch (s.getType()) {
            case NULL -> {}
            case BOOLEAN -> skip(1, "boolean");
            case INT -> readLong(5, "int");
            case LONG -> readLong(10, "long");
            case FLOAT -> skip(4, "float");
            case DOUBLE -> skip(8, "double");
            case FIXED -> skip(s.getFixedSize(), "fixed " + s.getName());
            case STRING, BYTES -> {
                long n = readLong(10, "length");
                if (n < 0 || n > end - pos) {
                    throw new MalformedException(
                            s.getType().getName() + " length " + n + " exceeds the " + (end - pos) + " bytes left");
                }
                pos += (int) n;
            }
            case ENUM -> {
                long i = readLong(5, "enum index");
                if (i < 0 || i >= s.getEnumSymbols().size()) {
                    throw new MalformedException("enum " + s.getName() + " index " + i + " out of range");
                }
            }
            case UNION -> {
                long i = readLong(5, "union index");
                if (i < 0 || i >= s.getTypes().size()) {
                    throw new MalformedException("union index " + i + " out of range");
                }
                walk(s.getTypes().get((int) i), depth + 1);
            }
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    walk(f.schema(), depth + 1);
                }
            }
            case ARRAY -> items(s.getElementType(), 0, depth);
            case MAP -> items(s.getValueType(), 1, depth);
            default -> throw new MalformedException("unsupported type " + s.getType());
        }
    }

    /** Array or map blocks: a count, for a negative count a byte size, the items; a count of 0 ends. */
    private void items(Schema item, int keyMinSize, int depth) throws MalformedException {
        int itemMin = minSize(item) + keyMinSize;
        while (true) {
            long count = readLong(10, "block count");
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw new MalformedException("block count out of range");
                }
                count = -count;
                long size = readLong(10, "block size");
                if (size < 0 || size > end - pos) {
                    throw new MalformedException("block size " + size + " exceeds the " + (end - pos) + " bytes left");
                }
            }
            if (itemMin == 0 ? count > MAX_EMPTY_ITEMS : count > (end - pos) / itemMin) {
                throw new MalformedException(
                        "block of " + count + " items cannot fit in the " + (end - pos) + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (keyMinSize > 0) {
                    walk(MAP_KEY, depth + 1);
                }
                walk(item, depth + 1);
            }
        }
    }

    /** Smallest number of bytes any value of {@code s} takes (recursive types count as 1). */
    private int minSize(Schema s) {
        Integer known = minSizes.get(s);
        if (known != null) {
            return known;
        }
        minSizes.put(s, 1); // a recursive reference takes at least its union index or length
        int size = switch (s.getType()) {
            case NULL -> 0;
            case BOOLEAN, INT, LONG, ENUM, STRING, BYTES, ARRAY, MAP -> 1;
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case FIXED -> s.getFixedSize();
            case UNION -> 1;
            case RECORD -> {
                long sum = 0;
                for (Schema.Field f : s.getFields()) {
                    sum += minSize(f.schema());
                }
                yield (int) Math.min(sum, Integer.MAX_VALUE);
            }
            default -> 1;
        };
        minSizes.put(s, size);
        return size;
    }

    private void skip(int n, String what) throws MalformedException {
        if (n > end - pos) {
            throw new MalformedException(what + " runs past the end of the record");
        }
        pos += n;
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long readLong(int maxBytes, String what) throws MalformedException {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= end) {
                throw new MalformedException(what + " runs past the end of the record");
            }
            int b = buf[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new MalformedException(what + " is not a valid varint");
    }
}
