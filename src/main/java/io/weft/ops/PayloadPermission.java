package io.weft.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.journal.JournalQueries;
import io.weft.journal.Rejections;

/**
 * What an operator without the {@code payload} permission sees (NiFi-style): the envelope's metadata and
 * every delivery, but not the business data; a rejection's reasons, but not the input as received.
 */
final class PayloadPermission {
    static final String HIDDEN = "(hidden: needs the payload permission)";

    private PayloadPermission() {
    }

    static JournalQueries.MessageDetail withoutPayload(JournalQueries.MessageDetail detail) {
        if (detail.envelope() == null || !detail.envelope().isObject()) {
            return detail;
        }
        ObjectNode envelope = ((ObjectNode) detail.envelope()).deepCopy();
        envelope.remove("data");
        envelope.put("dataHidden", HIDDEN);
        return new JournalQueries.MessageDetail(detail.message(), envelope, detail.deliveries());
    }

    static Rejections.Rejection withoutInput(Rejections.Rejection r) {
        return new Rejections.Rejection(r.id(), r.rejectedAt(), r.source(), r.routeId(), r.type(), r.sourceMessageId(),
                r.origin(), r.locator(), r.reason(), r.problem(), r.diagnostics(), r.input() == null ? null : HIDDEN);
    }
}
