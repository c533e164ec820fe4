package io.valerix.order;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.InventoryStoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link InventoryService} that the gremlin gets between, as {@code GremlinFilter} does over
 * HTTP: each call is decided under the route it has over HTTP ({@code PUT /reservations/<id>} for
 * a reserve), sleeps the before-delay, runs (unless a before-fault stops it), sleeps the
 * after-delay. Any fault is thrown as an {@link InventoryStoreException}, which the in-process
 * transport reports as "outcome unknown", as it reports a 5xx or a reset over HTTP. So one spec
 * means the same to both transports.
 *
 * <p>A dynamic proxy rather than an implementation, so the test double does not break when the
 * interface grows; methods without an HTTP twin pass straight through.
 */
final class GremlinInventoryService {

    private GremlinInventoryService() {}

    /**
     * {@code inventory} behind {@code gremlin}.
     *
     * @param finishedReserves counts reserve calls that returned or threw, the gremlin's delays included
     */
    static InventoryService wrap(InventoryService inventory, Gremlin gremlin, AtomicInteger finishedReserves) {
        return (InventoryService) Proxy.newProxyInstance(
                InventoryService.class.getClassLoader(),
                new Class<?>[] {InventoryService.class},
                (proxy, method, args) -> {
                    String route = route(method, args);
                    if (route == null) {
                        return invoke(inventory, method, args);
                    }
                    try {
                        return apply(gremlin, route, () -> invoke(inventory, method, args));
                    } finally {
                        if (method.getName().equals("reserve")) {
                            finishedReserves.incrementAndGet();
                        }
                    }
                });
    }

    /** The HTTP route of a call, as "METHOD path"; null for a method without one. */
    private static String route(Method method, Object[] args) {
        return switch (method.getName()) {
            case "reserve" -> "PUT /reservations/" + args[0];
            case "release" -> "DELETE /reservations/" + args[0];
            case "find" -> "GET /reservations/" + args[0];
            case "stockLevel" -> "GET /inventory/" + args[0];
            case "stockLevels" -> "GET /inventory";
            default -> null;
        };
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Throwable;
    }

    private static Object apply(Gremlin gremlin, String route, Call call) throws Throwable {
        int space = route.indexOf(' ');
        GremlinDecision decision = gremlin.decide(route.substring(0, space), route.substring(space + 1));
        sleep(decision.delay(InjectionPhase.BEFORE));
        if (decision.fault(InjectionPhase.BEFORE).isPresent()) {
            throw new InventoryStoreException(
                    "the gremlin injected "
                            + decision.fault(InjectionPhase.BEFORE).get() + " before " + route,
                    null);
        }
        Object answer = call.run();
        sleep(decision.delay(InjectionPhase.AFTER));
        if (decision.fault(InjectionPhase.AFTER).isPresent()) {
            throw new InventoryStoreException(
                    "the gremlin injected "
                            + decision.fault(InjectionPhase.AFTER).get() + " after " + route,
                    null);
        }
        return answer;
    }

    private static Object invoke(InventoryService inventory, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inventory, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            // The gremlin's delay is the thing under test here: it stands for a slow network.
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InventoryStoreException("interrupted in the gremlin's delay", e);
        }
    }
}
