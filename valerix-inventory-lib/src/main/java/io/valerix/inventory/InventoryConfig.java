package io.valerix.inventory;

import io.valerix.core.journal.ChangeJournal;
import io.valerix.inventory.internal.InventoryInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How an {@link InventoryService} is set up: the stock to seed and the largest quantity one
 * reservation may take.
 *
 * <p>Seeding only inserts SKUs that do not exist yet, so a restart with the same configuration
 * never resets stock, and changing a seeded quantity later does not change existing stock.
 *
 * <p>Immutable and thread-safe; built and validated by {@link Builder}.
 */
public final class InventoryConfig {

    /** The largest quantity one reservation may take unless set. */
    public static final int DEFAULT_MAX_QUANTITY = 1000;

    private final Map<String, Integer> initialStock;
    private final int maxQuantity;
    private final ChangeJournal changeJournal;

    private InventoryConfig(Map<String, Integer> initialStock, int maxQuantity, ChangeJournal changeJournal) {
        this.initialStock = initialStock;
        this.maxQuantity = maxQuantity;
        this.changeJournal = changeJournal;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The quantity each SKU is seeded with, ordered by SKU; unmodifiable. */
    public Map<String, Integer> initialStock() {
        return initialStock;
    }

    /** The largest quantity one reservation may take. */
    public int maxQuantity() {
        return maxQuantity;
    }

    /** The journal every stock and reservation write also goes into; {@link ChangeJournal#off()} unless set. */
    public ChangeJournal changeJournal() {
        return changeJournal;
    }

    /** A builder holding this configuration, for a variant. */
    public Builder toBuilder() {
        Builder builder = new Builder().maxQuantity(maxQuantity).changeJournal(changeJournal);
        initialStock.forEach(builder::stock);
        return builder;
    }

    @Override
    public String toString() {
        return "InventoryConfig[initialStock=" + initialStock + ", maxQuantity=" + maxQuantity + ", changeJournal="
                + changeJournal + "]";
    }

    /** Builds an {@link InventoryConfig}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private record Entry(String sku, int quantity) {}

        private final List<Entry> stock = new ArrayList<>();
        private int maxQuantity = DEFAULT_MAX_QUANTITY;
        private ChangeJournal changeJournal = ChangeJournal.off();

        private Builder() {}

        /** Seeds {@code sku} with {@code quantity} (0 or more) unless it already exists. */
        public Builder stock(String sku, int quantity) {
            stock.add(new Entry(Objects.requireNonNull(sku, "sku"), quantity));
            return this;
        }

        /**
         * The shortcut for configuration files and command lines: {@code sku=qty} pairs separated by
         * commas, for example {@code widget=100,gadget=5}. Blank adds nothing.
         *
         * @throws IllegalArgumentException if a pair is not {@code sku=qty} with a whole number
         */
        public Builder stock(String pairs) {
            Objects.requireNonNull(pairs, "pairs");
            for (String pair : pairs.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String quantity = eq < 0 ? "" : pair.substring(eq + 1).strip();
                if (eq < 0 || !quantity.matches("-?[0-9]{1,10}")) {
                    throw new IllegalArgumentException("stock must be sku=qty pairs separated by ',', but had "
                            + InventoryInput.quote(pair.strip()));
                }
                long parsed = Long.parseLong(quantity);
                if (parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE) {
                    throw new IllegalArgumentException("stock quantity of "
                            + InventoryInput.quote(pair.substring(0, eq).strip()) + " must be at most "
                            + Integer.MAX_VALUE + ", but was " + quantity);
                }
                stock(pair.substring(0, eq).strip(), (int) parsed);
            }
            return this;
        }

        /** The largest quantity one reservation may take; at least 1, {@value InventoryConfig#DEFAULT_MAX_QUANTITY} unless set. */
        public Builder maxQuantity(int maxQuantity) {
            this.maxQuantity = maxQuantity;
            return this;
        }

        /**
         * Journals every write (for continuous archiving and point-in-time restore); off unless set,
         * and off is exactly the behaviour without a journal.
         */
        public Builder changeJournal(ChangeJournal journal) {
            this.changeJournal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * A configuration with these settings.
         *
         * @throws IllegalArgumentException for a malformed SKU, a negative quantity, a SKU given
         *     twice, or a maximum quantity below 1
         */
        public InventoryConfig build() {
            if (maxQuantity < 1) {
                throw new IllegalArgumentException("maxQuantity must be at least 1, but was " + maxQuantity);
            }
            Map<String, Integer> seeded = new TreeMap<>();
            for (Entry entry : stock) {
                if (!InventoryInput.isSku(entry.sku())) {
                    throw new IllegalArgumentException("stock sku must be " + InventoryInput.SKU_RULE + ", but was "
                            + InventoryInput.quote(entry.sku()));
                }
                if (entry.quantity() < 0) {
                    throw new IllegalArgumentException(
                            "stock quantity of '" + entry.sku() + "' must be at least 0, but was " + entry.quantity());
                }
                if (seeded.putIfAbsent(entry.sku(), entry.quantity()) != null) {
                    throw new IllegalArgumentException("stock sku '" + entry.sku() + "' is given twice, with "
                            + seeded.get(entry.sku()) + " and " + entry.quantity());
                }
            }
            return new InventoryConfig(Collections.unmodifiableMap(seeded), maxQuantity, changeJournal);
        }
    }
}
