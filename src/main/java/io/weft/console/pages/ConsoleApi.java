package io.weft.console.pages;

import io.weft.ops.DestinationsResource;
import io.weft.ops.FailuresResource;
import io.weft.ops.MessagesResource;
import io.weft.ops.RejectionsResource;
import io.weft.ops.SystemsResource;
import io.weft.ops.landscape.FlowsResource;
import io.weft.ops.landscape.LandscapeResource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The operations API endpoints the pages show, called in-process on the same beans that answer {@code /api}, so
 * the same role checks and payload rules apply. Each answer is the endpoint's JSON as maps and lists. Changes are
 * not made here: the pages send them to {@code /api} from the browser.
 */
@RequestScoped
public class ConsoleApi {
    @Inject
    Console console;
    @Inject
    SystemsResource systems;
    @Inject
    MessagesResource messages;
    @Inject
    RejectionsResource rejections;
    @Inject
    LandscapeResource landscape;
    @Inject
    FlowsResource flows;
    @Inject
    FailuresResource failures;
    @Inject
    DestinationsResource destinations;

    public Console.Answer systems() {
        return console.call(systems::list);
    }

    public Console.Answer system(String name) {
        return console.call(() -> systems.system(name));
    }

    public Console.Answer landscape() {
        return console.call(landscape::landscape);
    }

    /** {@code GET /api/flows?window=}; the page's own headers ask for HTML, so the endpoint answers its JSON rows. */
    public Console.Answer flows(String window, HttpHeaders headers) {
        return console.call(() -> flows.flows(window, headers).getEntity());
    }

    public Console.Answer failures() {
        return console.call(failures::groups);
    }

    public Console.Answer destinations() {
        return console.call(destinations::list);
    }

    public Console.Answer search(String businessKey, String type, String source, String destination, String status,
                                 String since, String until, String before, String limit) {
        return console.call(() -> messages.search(businessKey, type, source, destination, status, since, until, before,
                limit));
    }

    public Console.Answer message(String id) {
        return console.call(() -> messages.message(id));
    }

    public Console.Answer rejections(String source, String since, String limit) {
        return console.call(() -> rejections.search(source, null, since, limit));
    }
}
