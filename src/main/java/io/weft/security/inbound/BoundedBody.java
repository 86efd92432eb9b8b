package io.weft.security.inbound;

import io.weft.api.Problem;
import io.weft.api.ProblemException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body cut off at a system's own size limit: reading past it fails with a 413 problem. */
final class BoundedBody extends FilterInputStream {
    private final String system;
    private final int limit;
    private long read;

    BoundedBody(InputStream body, String system, int limit) {
        super(body);
        this.system = system;
        this.limit = limit;
    }

    static ProblemException tooLarge(String system, int limit) {
        return new ProblemException(Problem.of(413, "body-too-large", "Body too large",
                "The body exceeds " + system + "'s limit of " + limit + " bytes (weft.systems." + system
                        + ".max-body-bytes)"));
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw tooLarge(system, limit);
        }
    }
}
