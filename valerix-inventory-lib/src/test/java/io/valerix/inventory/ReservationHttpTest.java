package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.RawHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** The reservation lifecycle over HTTP: shapes, statuses, and what each call does to stock. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class ReservationHttpTest {

    @Parameter
    DatabaseEngine engine;

    @RegisterExtension
    final InventoryServerExtension inventory = InventoryServerExtension.withStock("widget=10,gadget=2");

    @Test
    void reserveAnswersTheReservationAndStockShowsIt() {
        RawHttp.Reply reply = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        assertThat(reply.body())
                .isEqualTo("{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":4,\"status\":\"RESERVED\"}");
        assertThat(InventoryHttp.find(inventory.uri(), "o-1").body()).isEqualTo(reply.body());
        assertThat(InventoryHttp.stock(inventory.uri(), "widget").body())
                .isEqualTo("{\"sku\":\"widget\",\"available\":6,\"reserved\":4,\"total\":10}");
    }

    @Test
    void inventoryListsEverySkuOrderedBySku() {
        InventoryHttp.reserve(inventory.uri(), "o-1", "gadget", 1);

        RawHttp.Reply reply = InventoryHttp.send(inventory.uri(), "GET", "/inventory", null, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body())
                .isEqualTo("{\"items\":["
                        + "{\"sku\":\"gadget\",\"available\":1,\"reserved\":1,\"total\":2},"
                        + "{\"sku\":\"widget\",\"available\":10,\"reserved\":0,\"total\":10}]}");
    }

    @Test
    void insufficientStockIsAnAnswerNotAnErrorAndReleasingItChangesNothing() {
        RawHttp.Reply rejected = InventoryHttp.reserve(inventory.uri(), "o-1", "gadget", 3);
        List<String> before = inventory.snapshot();

        RawHttp.Reply release = InventoryHttp.release(inventory.uri(), "o-1");

        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.field("status")).isEqualTo("REJECTED");
        assertThat(release.status()).isEqualTo(200);
        assertThat(release.body())
                .isEqualTo("{\"orderId\":\"o-1\",\"sku\":\"gadget\",\"quantity\":3,\"status\":\"REJECTED\"}");
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @Test
    void releasingTwiceGivesTheStockBackOnce() {
        InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);

        RawHttp.Reply first = InventoryHttp.release(inventory.uri(), "o-1");
        RawHttp.Reply second = InventoryHttp.release(inventory.uri(), "o-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body())
                .isEqualTo("{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":4,\"status\":\"RELEASED\"}");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(inventory.service().stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
    }

    @Test
    void lateReserveAfterCancelAnswersCancelledAndTakesNoStock() {
        // Given the order was cancelled before its reservation arrived
        RawHttp.Reply cancel = InventoryHttp.release(inventory.uri(), "o-1");

        // When the reservation arrives late
        RawHttp.Reply late = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);

        // Then it takes nothing, and the tombstone stays
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body()).isEqualTo("{\"orderId\":\"o-1\",\"status\":\"CANCELLED\"}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body())
                .isEqualTo("{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":4,\"status\":\"CANCELLED\"}");
        assertThat(InventoryHttp.find(inventory.uri(), "o-1").body())
                .isEqualTo("{\"orderId\":\"o-1\",\"status\":\"CANCELLED\"}");
        assertThat(inventory.service().stockLevel("widget")).contains(new StockLevel("widget", 10, 0, 10));
    }

    @Test
    void sameOrderWithAnotherQuantityIs422AndChangesNothing() {
        InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4);
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 5);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:reservation-conflict");
        assertThat(reply.json().path("detail").asText()).contains("4 x 'widget'", "5 x 'widget'");
        assertThat(inventory.snapshot()).isEqualTo(before);
    }

    @Test
    void problemDetailsNameTheFieldAndTheBadValue() {
        RawHttp.Reply quantity = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 1001);
        RawHttp.Reply sku = InventoryHttp.reserve(inventory.uri(), "o-1", "wid get", 1);

        assertThat(quantity.json().path("detail").asText()).isEqualTo("quantity must be 1..1000, but was 1001");
        assertThat(sku.json().path("detail").asText())
                .isEqualTo("sku must be 1..64 characters of [A-Za-z0-9._-], but was 'wid get'");
    }

    @Test
    void reserveWhoseBudgetIsGoneIs504AndTakesNoStock() {
        List<String> before = inventory.snapshot();

        RawHttp.Reply reply = InventoryHttp.reserve(inventory.uri(), "o-1", "widget", 4, ValerixHeaders.BUDGET_MS, "0");

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:deadline-exceeded");
        assertThat(inventory.snapshot()).isEqualTo(before);
        assertThat(inventory.service().find("o-1").status()).isEqualTo(ReservationStatus.NOT_FOUND);
    }

    @Test
    void reservationRoutesLogWithTheOrderIdInTheMdc() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.valerix.inventory");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        logger.setLevel(Level.DEBUG);
        try {
            InventoryHttp.reserve(inventory.uri(), "o-logged", "widget", 1);
            InventoryHttp.release(inventory.uri(), "o-logged");
            InventoryHttp.reserve(inventory.uri(), "bad\nid", "widget", 1);
        } finally {
            logger.detachAppender(events);
            logger.setLevel(level);
        }

        assertThat(events.list).isNotEmpty();
        assertThat(events.list)
                .extracting(e -> e.getMDCPropertyMap().get("orderId"))
                .containsOnly("o-logged");
    }
}
