package io.valerix.core.idempotency.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The idempotency fingerprint of a JSON body depends on what the body means, not how it is
 * spelled: permuting members (at any depth) keeps it, changing any one value changes it.
 */
class FingerprintProperties {

    @Property(tries = 300)
    void permutingMembersAtAnyDepthKeepsTheFingerprint(
            @ForAll("documents") Map<String, Object> document, @ForAll Random random) {
        String original = fingerprint(write(document, null));
        String permuted = fingerprint(write(document, random));

        assertThat(permuted).isEqualTo(original);
    }

    @Property(tries = 300)
    void changingAnyOneValueChangesTheFingerprint(
            @ForAll("documents") Map<String, Object> document, @ForAll Random random) {
        List<List<Object>> leaves = new ArrayList<>();
        collectLeafPaths(document, new ArrayList<>(), leaves);
        Assume.that(!leaves.isEmpty());
        List<Object> path = leaves.get(random.nextInt(leaves.size()));

        Map<String, Object> changed = replaceLeaf(document, path);

        assertThat(fingerprint(write(changed, random)))
                .as("after changing %s", path)
                .isNotEqualTo(fingerprint(write(document, null)));
    }

    @Provide
    Arbitrary<Map<String, Object>> documents() {
        return objects(3);
    }

    private static Arbitrary<Map<String, Object>> objects(int depth) {
        Arbitrary<String> names =
                Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3);
        return Arbitraries.maps(names, values(depth - 1)).ofMaxSize(5).map(LinkedHashMap::new);
    }

    private static Arbitrary<Object> values(int depth) {
        List<Arbitrary<?>> choices = new ArrayList<>(List.of(
                Arbitraries.strings().ofMaxLength(6),
                Arbitraries.longs().between(-1_000_000, 1_000_000),
                Arbitraries.bigDecimals()
                        .between(BigDecimal.valueOf(-1000), BigDecimal.valueOf(1000))
                        .ofScale(3),
                Arbitraries.of(true, false),
                Arbitraries.just(JSON_NULL)));
        if (depth > 0) {
            choices.add(objects(depth));
            choices.add(values(depth - 1).list().ofMaxSize(3));
        }
        return Arbitraries.oneOf(
                choices.stream().map(a -> a.map(v -> (Object) v)).toList());
    }

    /** JSON null as a leaf: jqwik maps cannot hold a Java null. */
    private static final Object JSON_NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The JSON text of {@code value}, members in their order, or shuffled by {@code random}. */
    private static String write(Object value, Random random) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> members = new ArrayList<>(map.entrySet());
            if (random != null) {
                Collections.shuffle(members, random);
            }
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> member : members) {
                out.append(out.length() > 1 ? "," : "")
                        .append(quote((String) member.getKey()))
                        .append(':')
                        .append(write(member.getValue(), random));
            }
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object element : list) {
                out.append(out.length() > 1 ? "," : "").append(write(element, random));
            }
            return out.append(']').toString();
        }
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return String.valueOf(value);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void collectLeafPaths(Object value, List<Object> path, List<List<Object>> leaves) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, member) -> collectLeafPaths(member, append(path, name), leaves));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectLeafPaths(list.get(i), append(path, i), leaves);
            }
        } else {
            leaves.add(path);
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    /** A copy of {@code document} with the leaf at {@code path} replaced by a value of another meaning. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> replaceLeaf(Map<String, Object> document, List<Object> path) {
        return (Map<String, Object>) replace(document, path, 0);
    }

    private static Object replace(Object value, List<Object> path, int depth) {
        if (depth == path.size()) {
            return different(value);
        }
        Object step = path.get(depth);
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            copy.put(step, replace(map.get(step), path, depth + 1));
            return copy;
        }
        List<Object> copy = new ArrayList<>((List<?>) value);
        copy.set((Integer) step, replace(copy.get((Integer) step), path, depth + 1));
        return copy;
    }

    private static Object different(Object leaf) {
        return switch (leaf) {
            case String text -> text + "x";
            case Long number -> number + 1;
            case BigDecimal number -> number.add(new BigDecimal("0.001"));
            case Boolean bool -> !bool;
            default -> "was null";
        };
    }

    private static String fingerprint(String json) {
        return RequestFingerprint.of(FakeRequest.post(json));
    }
}
