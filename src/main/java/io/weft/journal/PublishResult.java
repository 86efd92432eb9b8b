package io.weft.journal;

/** What the source is told after the commit: the message id, and whether it had been seen before. */
public record PublishResult(String id, boolean duplicate) {
}
