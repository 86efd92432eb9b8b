package io.weft.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.weft.api.Problem;
import io.weft.api.ProblemException;
import io.weft.audit.AuditTrail;
import io.weft.systems.KnownSystems;
import io.weft.journal.RecentMessages;
import io.weft.mapping.MappingException;
import io.weft.mapping.Mappings;
import io.weft.security.operators.Roles;
import io.weft.store.Store;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shadow runs in the operations API: what each candidate mapping would have changed ({@code GET /api/shadow}),
 * its promotion ({@code POST /api/shadow/{system}/promote}, admin, audited), dry runs over the journal
 * ({@code POST /api/shadow/dry-runs}, operator, audited) and the legacy comparisons ({@code GET /api/shadow/legacy}).
 */
@Path("/api/shadow")
@Produces(MediaType.APPLICATION_JSON)
public class ShadowResource {
    private static final int MAX_DRY_RUN = 1000;

    @Inject
    ShadowStore shadowStore;
    @Inject
    Promotion promotion;
    @Inject
    Mappings mapper;
    @Inject
    Store store;
    @Inject
    AuditTrail audit;
    @Inject
    SecurityIdentity identity;
    @Context
    HttpServerRequest http;

    /** A candidate with its counts so far and whether it may be promoted (it compiles and never failed). */
    public record CandidateView(String system, String live, String candidate, boolean compiles, String compileError,
                                long same, long different, long failed, boolean readyToPromote) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Map<String, Object> overview(@QueryParam("system") String system, @QueryParam("outcome") String outcome,
                                        @QueryParam("limit") String limit) {
        String destination = system == null ? null : system(system);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Candidates.Pair> pairs = destination == null ? Candidates.all(mapper.mappingsDir())
                : Candidates.of(mapper.mappingsDir(), destination);
        out.put("candidates", pairs.stream().map(this::view).toList());
        out.put("flows", shadowStore.counts("shadow_run", destination));
        out.put("recent", shadowStore.recentRuns(destination, outcome(outcome), limit(limit)));
        return out;
    }

    @GET
    @Path("/legacy")
    @RolesAllowed(Roles.VIEWER)
    public Map<String, Object> legacy(@QueryParam("system") String system, @QueryParam("outcome") String outcome,
                                      @QueryParam("limit") String limit) {
        String destination = system == null ? null : system(system);
        String wanted = outcome == null ? null : outcome.strip().toUpperCase();
        if (wanted != null && !List.of("MATCH", "MISMATCH", "NO_MESSAGE").contains(wanted)) {
            throw bad("outcome", "must be one of MATCH, MISMATCH, NO_MESSAGE");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flows", shadowStore.counts("legacy_comparison", destination));
        out.put("recent", shadowStore.recentLegacy(destination, wanted, limit(limit)));
        return out;
    }

    @POST
    @Path("/{system}/promote")
    @RolesAllowed(Roles.ADMIN)
    public Map<String, Object> promote(@PathParam("system") String system, @QueryParam("force") boolean force) {
        String name = system(system);
        List<Candidates.Pair> pairs = Candidates.of(mapper.mappingsDir(), name);
        if (pairs.isEmpty()) {
            throw new ProblemException(Problem.of(404, "no-candidate", "No candidate",
                    name + " has no candidate mapping (mappings/" + name + "/" + Candidates.FOLDER + "/*.out.jsonata)"));
        }
        List<CandidateView> views = pairs.stream().map(this::view).toList();
        for (CandidateView v : views) {
            if (!v.compiles()) {
                throw new ProblemException(Problem.of(422, "candidate-invalid", "The candidate does not compile",
                        v.candidate() + ": " + v.compileError()));
            }
            if (!force && !v.readyToPromote()) {
                throw new ProblemException(Problem.of(409, "candidate-not-ready", "The candidate is not ready",
                        v.candidate() + " has " + v.failed() + " failed and " + (v.same() + v.different())
                                + " successful shadow runs; it is ready after at least one run and no failure "
                                + "(or promote with ?force=true)"));
            }
        }
        List<Promotion.Promoted> promoted = promotion.promote(pairs);
        audit.record(AuditTrail.Entry.of(actor(), "shadow-promote", name, AuditTrail.OK, remote(),
                "POST /api/shadow/" + name + "/promote", promoted.stream()
                        .map(p -> p.candidate() + " -> " + p.live()).toList().toString()));
        return Map.of("system", name, "promoted", promoted);
    }

    @POST
    @Path("/dry-runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public DryRun.Report dryRun(String body) {
        JsonNode request;
        try {
            request = mapper.json().readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw new ProblemException(Problem.of(400, "malformed", "The request is not JSON",
                    "expected {\"candidate\": \"<system>/candidate/<Type>.out.jsonata\", \"type\": \"<Type>\", \"last\": N}"));
        }
        if (request == null || !request.isObject()) {
            throw bad("body", "must be a JSON object with candidate, type and last");
        }
        String candidate = text(request, "candidate");
        String type = text(request, "type");
        if (!type.matches("[A-Z][A-Za-z0-9]{0,63}")) {
            throw bad("type", "must be a canonical type name such as ProductionOrder");
        }
        JsonNode lastNode = request.path("last");
        if (!lastNode.canConvertToInt() || !lastNode.isIntegralNumber() || lastNode.asInt() < 1 || lastNode.asInt() > MAX_DRY_RUN) {
            throw bad("last", "must be a whole number from 1 to " + MAX_DRY_RUN);
        }
        String live = request.hasNonNull("live") ? text(request, "live") : Candidates.liveOf(candidate);
        if (live == null) {
            throw bad("live", "name the live mapping: " + candidate + " is not in a " + Candidates.FOLDER + "/ folder");
        }
        for (String file : List.of(candidate, live)) {
            if (file.contains("..") || file.startsWith("/") || !file.endsWith(".jsonata")
                    || !Files.isRegularFile(mapper.mappingsDir().resolve(file))) {
                throw new ProblemException(Problem.of(422, "unknown-mapping", "No such mapping",
                        "'" + file + "' is not a mapping file in the mappings folder"));
            }
            try {
                mapper.reload(file);
                mapper.compile(file);
            } catch (MappingException e) {
                throw new ProblemException(Problem.of(422, "mapping-invalid", "The mapping does not compile", e.getMessage()));
            }
        }
        List<RecentMessages.Journaled> messages = store.read(c -> RecentMessages.ofType(c, type, lastNode.asInt()));
        DryRun.Report report = DryRun.run(mapper, live, candidate, type, messages);
        audit.record(AuditTrail.Entry.of(actor(), "shadow-dry-run", candidate, AuditTrail.OK, remote(),
                "POST /api/shadow/dry-runs", "type " + type + ", last " + lastNode.asInt() + ": " + report.counts()));
        return report;
    }

    private CandidateView view(Candidates.Pair pair) {
        String error = null;
        try {
            mapper.compile(pair.candidate());
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        long same = 0, different = 0, failed = 0;
        for (ShadowStore.Counts counts : shadowStore.counts("shadow_run", pair.system())) {
            // Counts per flow cover every candidate the flow had; the candidate's own are what its file name says.
            if (pair.live().endsWith("/" + counts.type() + ".out.jsonata")) {
                same += counts.outcomes().getOrDefault("SAME", 0L);
                different += counts.outcomes().getOrDefault("DIFFERENT", 0L);
                failed += counts.outcomes().getOrDefault("FAILED", 0L);
            }
        }
        boolean ready = error == null && failed == 0 && same + different > 0;
        return new CandidateView(pair.system(), pair.live(), pair.candidate(), error == null, error, same, different,
                failed, ready);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private String remote() {
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }

    private static String system(String value) {
        String name = value == null ? "" : value.strip();
        if (!KnownSystems.NAME.matcher(name).matches()) {
            throw bad("system", "must be a system name (lower-case letters, digits, '-')");
        }
        return name;
    }

    private static String outcome(String value) {
        if (value == null) {
            return null;
        }
        String o = value.strip().toUpperCase();
        if (!List.of("SAME", "DIFFERENT", "FAILED").contains(o)) {
            throw bad("outcome", "must be one of SAME, DIFFERENT, FAILED");
        }
        return o;
    }

    private static int limit(String value) {
        if (value == null) {
            return 50;
        }
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1) {
            throw bad("limit", "must be a whole number from 1 to 500");
        }
        return Math.min(Integer.parseInt(value), 500);
    }

    private static String text(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank() || node.asText().length() > 256) {
            throw bad(field, "is required: a text of at most 256 characters");
        }
        return node.asText().strip();
    }

    static ProblemException bad(String name, String detail) {
        return new ProblemException(Problem.of(400, "bad-parameter", "Bad parameter", name + " " + detail));
    }
}
