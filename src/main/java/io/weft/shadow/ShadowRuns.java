package io.weft.shadow;

import io.quarkus.runtime.StartupEvent;
import io.weft.mapping.MappingObserver;
import io.weft.mapping.Mappings;
import io.weft.observe.WeftMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.util.Map;

/**
 * Shadow runs on real deliveries: each time an outbound route applies a live mapping that has a candidate
 * ({@link Candidates}), the candidate is applied to the same canonical message, its output is compared field by
 * field with the live output and the comparison is recorded once per message ({@link ShadowStore}) and counted
 * ({@code weft_shadow_comparisons_total}). The candidate's output goes nowhere: the route goes on with the live
 * output. Anything the candidate or the recording throws is caught here and logged; the delivery never sees it.
 */
@ApplicationScoped
public class ShadowRuns implements MappingObserver {
    private static final Logger LOG = Logger.getLogger(ShadowRuns.class);

    @Inject
    Mappings mapper;
    @Inject
    ShadowStore shadowStore;
    @Inject
    WeftMetrics metrics;

    void start(@Observes StartupEvent event) {
        mapper.observe(this);
    }

    @Override
    public void mapped(Mappings mapper, String mappingFile, Object input, Object output) {
        if (!Candidates.isOutbound(mappingFile) || !(input instanceof Map<?, ?> envelope)
                || !(envelope.get("id") instanceof String messageId)) {
            return;
        }
        String candidate = Candidates.candidateOf(mappingFile);
        if (!Files.isRegularFile(mapper.mappingsDir().resolve(candidate))) {
            return;
        }
        try {
            Comparison comparison = Comparison.candidate(mapper, candidate, input, output);
            String destination = Candidates.systemOf(mappingFile);
            String type = String.valueOf(envelope.get("type"));
            Object subject = envelope.get("subject");
            boolean first = shadowStore.record(new ShadowStore.Run(messageId, destination, type,
                    subject == null ? null : subject.toString(), mappingFile, candidate, comparison));
            if (first) {
                metrics.shadow(destination, type, comparison.outcome().name().toLowerCase());
            }
        } catch (Throwable e) {
            LOG.warnf("shadow run of %s for message %s not recorded: %s", candidate, messageId, e.toString());
        }
    }
}
