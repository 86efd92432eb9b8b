package io.weft.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A compiled mapping is evaluated again and again on the same thread (one compiled copy per thread): nothing of one
 * message's evaluation may reach the next. jsonata-java before 0.9.10 left its evaluation frame where the last step
 * had put it, so a variable bound while mapping one message was visible while mapping the next, and the chain of
 * frames grew by one per message (every lookup walked it: a third of an order's CPU after a few minutes, and a
 * memory leak).
 */
class MappingEvaluationStateTest {
    @TempDir
    Path dir;

    @Test
    void aVariableBoundForOneMessageIsUnknownToTheNext() throws IOException {
        Files.writeString(dir.resolve("Seen.out.jsonata"), """
                {
                  "order": order,
                  "seenBefore": $exists($previous),
                  "kept": ($previous := order; $previous)
                }
                """);
        Mappings mapper = Mappings.standalone(dir);
        for (int i = 1; i <= 3; i++) {
            assertEquals("{\"order\":\"PO-" + i + "\",\"seenBefore\":false,\"kept\":\"PO-" + i + "\"}",
                    mapper.map("{\"order\":\"PO-" + i + "\"}", "Seen.out.jsonata"));
        }
    }

    @Test
    void theSameInputMapsTheSameAfterManyMessages() throws IOException {
        Files.writeString(dir.resolve("Order.out.jsonata"), """
                { "ref": order, "lines": $count(lines), "first": lines[0].sku }
                """);
        Mappings mapper = Mappings.standalone(dir);
        String input = "{\"order\":\"PO-1\",\"lines\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]}";
        String first = mapper.map(input, "Order.out.jsonata");
        for (int i = 0; i < 2_000; i++) {
            mapper.map("{\"order\":\"PO-" + i + "\",\"lines\":[{\"sku\":\"X" + i + "\"}]}", "Order.out.jsonata");
        }
        assertEquals(first, mapper.map(input, "Order.out.jsonata"));
        assertEquals("{\"ref\":\"PO-1\",\"lines\":2,\"first\":\"A\"}", first);
    }
}
