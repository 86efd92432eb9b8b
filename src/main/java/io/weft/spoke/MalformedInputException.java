package io.weft.spoke;

/** A spoke received input it cannot read at all (not JSON, a required field missing or of the wrong kind). */
public class MalformedInputException extends RuntimeException implements io.weft.envelope.BadInput {
    public MalformedInputException(String message) {
        super(message);
    }

    public MalformedInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Kind badInputKind() {
        return Kind.MALFORMED;
    }
}
