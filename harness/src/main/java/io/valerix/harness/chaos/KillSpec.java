package io.valerix.harness.chaos;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --kill} option: which service to {@code kill -9} and when; the service is started
 * again at once on the same data and port. Immutable.
 *
 * <p>{@code inventory:at 40s} kills the inventory service. {@code order:every 15s} kills one order
 * instance per strike, in turn ({@code order-1}, then {@code order-2}, …, then {@code order-1}
 * again), so no two strikes take the same instance while others have not been hit; {@code
 * order-2:at 30s} always kills that one instance.
 *
 * @param service {@code order} or {@code inventory}
 * @param instance the order instance, 1-based, or 0 for "in turn" (always 0 for inventory)
 * @param schedule when
 */
public record KillSpec(String service, int instance, FaultSchedule schedule) {

    public static final String ORDER = "order";
    public static final String INVENTORY = "inventory";
    private static final Pattern TARGET = Pattern.compile("(order|inventory)(?:-(\\d+))?");

    public KillSpec {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(schedule, "schedule");
        if (!service.equals(ORDER) && !service.equals(INVENTORY)) {
            throw new IllegalArgumentException("a kill's service is order or inventory, but was '" + service + "'");
        }
        if (instance < 0 || (service.equals(INVENTORY) && instance != 0)) {
            throw new IllegalArgumentException(
                    "there is one inventory and order instances count from 1, but the instance was " + instance);
        }
    }

    /**
     * Parses {@code SERVICE:SCHEDULE}, for example {@code order:every 15s}, {@code order-2:at 30s},
     * {@code inventory:at 40s}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static KillSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "a kill is SERVICE:SCHEDULE, e.g. 'order:every 15s' or 'inventory:at 40s', but was '" + text + "'");
        }
        Matcher m = TARGET.matcher(text.substring(0, colon).strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a kill's service is order, order-N or inventory, but was '"
                    + text.substring(0, colon).strip() + "'");
        }
        if (m.group(1).equals(INVENTORY) && m.group(2) != null) {
            throw new IllegalArgumentException(
                    "there is one inventory, so '" + text.substring(0, colon).strip() + "' names none; say inventory");
        }
        int instance = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (m.group(2) != null && instance == 0) {
            throw new IllegalArgumentException("order instances count from 1, but '" + text + "' names order-0");
        }
        return new KillSpec(m.group(1), instance, FaultSchedule.parse(text.substring(colon + 1)));
    }

    /** The text {@link #parse} reads back. */
    public String toText() {
        return service + (instance > 0 ? "-" + instance : "") + ":" + schedule.toText();
    }
}
