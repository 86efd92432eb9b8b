package io.weft.envelope;

import io.weft.delivery.DeliveryAttempter;
import io.weft.hub.Hub;
import io.weft.inbound.CsvRows;
import io.weft.journal.Rejections;
import io.weft.mapping.Mappings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The names routes and Java share have one spelling, in {@link WeftHeaders}: the constants other classes still
 * declare for their own use must be the same strings, or a route reading the documented name would miss it.
 */
class WeftHeadersTest {
    @Test
    void everyClassSpellsTheSharedNamesAsWeftHeadersDoes() {
        assertEquals(WeftHeaders.SOURCE_SYSTEM, Hub.SOURCE_SYSTEM);
        assertEquals(WeftHeaders.TYPE, Hub.TYPE);
        assertEquals(WeftHeaders.SOURCE_MESSAGE_ID, Hub.SOURCE_MESSAGE_ID);
        assertEquals(WeftHeaders.API_VERSION, Mappings.API_VERSION_HEADER);
        assertEquals(WeftHeaders.CSV_ROW_ROUTE, CsvRows.ROW_ROUTE);
        assertEquals(WeftHeaders.CSV_SEPARATOR, CsvRows.SEPARATOR);
        assertEquals(WeftHeaders.CSV_ROWS_PUBLISHED, CsvRows.PUBLISHED);
        assertEquals(WeftHeaders.CSV_ROWS_DUPLICATE, CsvRows.DUPLICATES);
        assertEquals(WeftHeaders.CSV_ROWS_REJECTED, CsvRows.REJECTED);
        assertEquals(WeftHeaders.MESSAGE_ID, DeliveryAttempter.MESSAGE_ID);
        assertEquals(WeftHeaders.OUT_TYPE, DeliveryAttempter.TYPE);
        assertEquals(WeftHeaders.DESTINATION, DeliveryAttempter.DESTINATION);
        assertEquals(WeftHeaders.SUBJECT, DeliveryAttempter.SUBJECT);
        assertEquals(WeftHeaders.INPUT, Rejections.INPUT);
    }

    @Test
    void whatWeftSetsIncludesWhatItsBeansSet() {
        assertTrue(WeftHeaders.HEADERS_SET_BY_WEFT.contains(CsvRows.REJECTED));
        assertTrue(WeftHeaders.HEADERS_SET_BY_WEFT.contains(Hub.SOURCE_SYSTEM));
        assertTrue(WeftHeaders.PROPERTIES_SET_BY_WEFT.contains(DeliveryAttempter.TYPE));
    }
}
