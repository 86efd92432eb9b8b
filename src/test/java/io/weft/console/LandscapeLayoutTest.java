package io.weft.console;

import io.weft.console.pages.LandscapeLayout;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The landscape is laid out from the data alone: an added system or flow appears without touching the console. */
class LandscapeLayoutTest {

    private static Map<String, Object> system(String name, boolean sends, boolean receives, String reachability, long dead) {
        return Map.of("name", name, "sends", sends, "receives", receives, "reachability", reachability, "paused", false,
                "backlog", 0, "oldestWaitingSeconds", 0.0, "dead", dead);
    }

    private static Map<String, Object> flow(String source, String type, String destination, long messages, long dead) {
        return Map.of("source", source, "type", type, "destination", destination, "failureRate", dead > 0 ? 0.5 : 0.0,
                "lastHour", Map.of("messages", messages, "delivered", messages - dead, "failedAttempts", dead * 2, "dead", dead));
    }

    @Test
    void sourcesLeftTypesMiddleDestinationsRightAndAnAddedSystemAppears() {
        Map<String, Object> plant = Map.of(
                "systems", List.of(system("erp", true, true, "UP", 0), system("mes", false, true, "DOWN", 3),
                        system("mes2", false, true, "UP", 0)),
                "flows", List.of(flow("erp", "ProductionOrder", "mes", 5, 3), flow("erp", "ProductionOrder", "mes2", 5, 0)));
        LandscapeLayout.Drawing drawing = LandscapeLayout.draw(plant);

        List<String> ids = drawing.nodes().stream().map(LandscapeLayout.Node::id).toList();
        assertEquals(List.of("source-erp", "type-ProductionOrder", "destination-erp", "destination-mes",
                "destination-mes2"), ids);
        LandscapeLayout.Node erp = drawing.nodes().get(0);
        LandscapeLayout.Node type = drawing.nodes().get(1);
        LandscapeLayout.Node mes = drawing.nodes().get(3);
        assertTrue(erp.x() < type.x() && type.x() < mes.x(), "sources left, types middle, destinations right");
        assertTrue(mes.css().contains("down") && mes.css().contains("dead"), "the DOWN MES with DEAD deliveries stands out");
        assertTrue(!erp.css().contains("down"), "a source is not marked by its delivery side");
        // One edge source -> type, one per type -> destination; the one with DEAD is marked.
        assertEquals(3, drawing.edges().size());
        assertTrue(drawing.edges().stream().anyMatch(e -> e.css().contains("dead") && e.label().contains("3 DEAD")));
        assertTrue(drawing.height() >= 3 * 84, "tall enough for the longest column");
    }
}
