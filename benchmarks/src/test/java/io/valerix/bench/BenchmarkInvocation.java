package io.valerix.bench;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Calls one {@code @Benchmark} method directly, in this JVM, the way JMH would for one thread: its
 * states created (each {@code @Param} at its first value) and set up, the method called a few
 * times (a single-shot benchmark: once per fresh state, as JMH does per iteration), the states
 * torn down. JMH's own run happens in a fork whose results are only scores; this
 * lets a test see what the method returned and what it did to its state.
 */
final class BenchmarkInvocation {

    /** What the calls returned, and the benchmark's state object after them. */
    record Outcome(List<Object> results, Object benchmark) {}

    private final Map<Class<?>, Object> states = new LinkedHashMap<>();

    private BenchmarkInvocation() {}

    static Outcome call(Method method, int times) throws Exception {
        if (isSingleShot(method)) {
            // JMH runs a single-shot benchmark once per iteration, with its iteration-level setup and
            // teardown around each call: the call consumes what the setup prepared (a backlog, say).
            List<Object> results = new ArrayList<>();
            Outcome last = null;
            for (int i = 0; i < times; i++) {
                last = callOnce(method, 1);
                results.addAll(last.results());
            }
            return new Outcome(results, last.benchmark());
        }
        return callOnce(method, times);
    }

    private static boolean isSingleShot(Method method) {
        BenchmarkMode mode = method.getAnnotation(BenchmarkMode.class);
        if (mode == null) {
            mode = method.getDeclaringClass().getAnnotation(BenchmarkMode.class);
        }
        return mode != null && Arrays.asList(mode.value()).equals(List.of(Mode.SingleShotTime));
    }

    private static Outcome callOnce(Method method, int times) throws Exception {
        BenchmarkInvocation invocation = new BenchmarkInvocation();
        Object benchmark = invocation.state(method.getDeclaringClass());
        try {
            Object[] arguments = Arrays.stream(method.getParameterTypes())
                    .map(invocation::stateUnchecked)
                    .toArray();
            List<Object> results = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                results.add(unwrap(() -> method.invoke(benchmark, arguments)));
            }
            return new Outcome(results, benchmark);
        } finally {
            invocation.tearDown();
        }
    }

    private Object stateUnchecked(Class<?> type) {
        try {
            return state(type);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up state " + type.getName(), e);
        }
    }

    private Object state(Class<?> type) throws Exception {
        Object existing = states.get(type);
        if (existing != null) {
            return existing;
        }
        Object state = type.getDeclaredConstructor().newInstance();
        states.put(type, state);
        for (Field field : type.getDeclaredFields()) {
            Param param = field.getAnnotation(Param.class);
            if (param != null && param.value().length > 0 && field.getType() == String.class) {
                field.setAccessible(true);
                field.set(state, param.value()[0]);
            }
        }
        for (Method setup : type.getMethods()) {
            if (setup.isAnnotationPresent(Setup.class) && !Modifier.isStatic(setup.getModifiers())) {
                Object[] arguments = Arrays.stream(setup.getParameterTypes())
                        .map(this::stateUnchecked)
                        .toArray();
                unwrap(() -> setup.invoke(state, arguments));
            }
        }
        return state;
    }

    private void tearDown() throws Exception {
        List<Object> reversed = new ArrayList<>(states.values());
        java.util.Collections.reverse(reversed);
        for (Object state : reversed) {
            for (Method tearDown : state.getClass().getMethods()) {
                if (tearDown.isAnnotationPresent(TearDown.class)) {
                    unwrap(() -> tearDown.invoke(state));
                }
            }
        }
    }

    private interface Reflective {
        Object call() throws Exception;
    }

    private static Object unwrap(Reflective call) throws Exception {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
