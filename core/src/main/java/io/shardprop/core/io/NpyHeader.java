package io.shardprop.core.io;

import io.shardprop.core.data.MalformedFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dict of a .npy file, parsed by hand and validated. The dict is a small Python literal such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (785, 100), }}, padded with spaces and a
 * newline; spacing, quotes and key order may vary. Values may be strings, {@code True}/{@code False},
 * integers (a Python 2 {@code L} suffix is tolerated), tuples and lists.
 *
 * @param littleEndian true for {@code '<f8'}, false for {@code '>f8'}
 * @param fortranOrder true if the data are stored column-major
 * @param shape        0 to 2 non-negative sizes whose product is at most {@link Npy#MAX_ELEMENTS}
 */
record NpyHeader(boolean littleEndian, boolean fortranOrder, int[] shape) {

    /**
     * Parses and validates a header dict.
     *
     * @throws MalformedFileException if the text is not a dict literal with exactly the keys
     *         {@code descr}, {@code fortran_order}, {@code shape} (containers nested at most 16 deep), or the
     *         dtype is not float64, or the shape is not a tuple of 0–2 non-negative ints of acceptable total size
     */
    static NpyHeader parse(String text, String name) {
        Parser p = new Parser(text, name);
        p.skipSpace();
        Map<String, Object> d = p.dict();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the dict");
        }
        for (String key : d.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw new MalformedFileException(name, "unexpected key '" + key + "' in header dict");
            }
        }
        Object descr = get(d, "descr", name);
        if (!"<f8".equals(descr) && !">f8".equals(descr)) {
            String what = descr instanceof String s ? "'" + s + "'" : "structured " + descr;
            throw new MalformedFileException(name, "dtype " + what + " is not float64 ('<f8' or '>f8')"
                    + ("'|O'".equals(what) ? ": object arrays are not supported" : ""));
        }
        if (!(get(d, "fortran_order", name) instanceof Boolean fortran)) {
            throw new MalformedFileException(name, "fortran_order is " + d.get("fortran_order") + ", not True or False");
        }
        Object shapeValue = get(d, "shape", name);
        if (!(shapeValue instanceof Tuple t) || !t.items.stream().allMatch(x -> x instanceof Long)) {
            throw new MalformedFileException(name, "shape " + shapeValue + " is not a tuple of ints");
        }
        if (t.items.size() > 2) {
            throw new MalformedFileException(name, t.items.size() + "-D shape " + t + " not supported (0-, 1- or 2-D only)");
        }
        int[] shape = new int[t.items.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long n = (Long) t.items.get(i);
            if (n < 0) {
                throw new MalformedFileException(name, "negative dimension " + n + " in shape " + t);
            }
            count = n > Npy.MAX_ELEMENTS ? Long.MAX_VALUE : count * n; // stays exact below 2^62
            if (count > Npy.MAX_ELEMENTS) {
                throw new MalformedFileException(name, "shape " + t + " has more than " + Npy.MAX_ELEMENTS + " elements");
            }
            shape[i] = (int) n;
        }
        return new NpyHeader(descr.equals("<f8"), fortran, shape);
    }

    private static Object get(Map<String, Object> d, String key, String name) {
        if (!d.containsKey(key)) {
            throw new MalformedFileException(name, "header dict lacks '" + key + "'");
        }
        return d.get(key);
    }

    /** A parsed Python tuple; printed as Python would. */
    private record Tuple(List<Object> items) {
        @Override
        public String toString() {
            String s = items.toString();
            return "(" + s.substring(1, s.length() - 1) + (items.size() == 1 ? ",)" : ")");
        }
    }

    /**
     * Recursive-descent parser for the Python literals a header dict may hold. Nesting is limited to
     * {@value #MAX_DEPTH} containers, so that a 64 KiB header of brackets fails with a message instead of a
     * {@link StackOverflowError}; the deepest header NumPy writes (a structured dtype) nests about 4.
     */
    private static final class Parser {
        static final int MAX_DEPTH = 16;

        final String text;
        final String name;
        int pos;
        int depth;

        Parser(String text, String name) {
            this.text = text;
            this.name = name;
        }

        Object value() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                return dict();
            }
            if (c == '(') {
                int start = pos;
                List<Object> items = items('(', ')', false);
                boolean isTuple = items.size() != 1 || text.substring(start, pos).matches("(?s).*,\\s*\\)");
                return isTuple ? new Tuple(items) : items.get(0); // (5) is just 5 in Python
            }
            if (c == '[') {
                return items('[', ']', false);
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String s = text.substring(pos + 1, end);
                pos = end + 1;
                return s;
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-')) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.equals("True") || word.equals("False")) {
                return Boolean.valueOf(word);
            }
            if (!word.matches("-?\\d{1,18}L?")) { // None and anything else: no valid header needs it
                throw error(word.isEmpty() ? "unexpected '" + c + "'" : "unexpected value '" + word + "'");
            }
            return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
        }

        Map<String, Object> dict() {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Object item : items('{', '}', true)) {
                if (!(item instanceof Entry e) || !(e.key instanceof String k) || map.put(k, e.value) != null) {
                    throw error("dict keys must be distinct strings");
                }
            }
            return map;
        }

        /** Parses comma-separated items (or {@code key: value} entries) up to {@code close}; a trailing comma is fine. */
        List<Object> items(char open, char close, boolean entries) {
            expect(open);
            if (++depth > MAX_DEPTH) {
                throw error("containers nested deeper than " + MAX_DEPTH + " levels");
            }
            List<Object> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek(close)) {
                    pos++;
                    depth--;
                    return out;
                }
                Object v = value();
                if (entries) {
                    skipSpace();
                    expect(':');
                    v = new Entry(v, value());
                }
                out.add(v);
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek(close)) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        MalformedFileException error(String what) {
            String shown = text.strip();
            shown = shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
            return new MalformedFileException(name, "unparsable header dict: " + what + " at position " + pos + " in " + shown);
        }
    }

    private record Entry(Object key, Object value) {
    }
}
